export { tokenStoreContract, type TokenStoreContractCase } from './token-store-contract.js';
