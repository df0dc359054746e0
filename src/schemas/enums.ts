import { type OpenEnum, openEnum } from './open-enum.js';

// The known values are hints for autocompletion only: the schemas accept any string (Plaid adds
// values over time), so no runtime list is kept.

/** Plaid's account types (`AccountType`), as of API 2020-09-14. Plaid adds values over time.
 *
 * @inline
 */
type KnownAccountType = 'investment' | 'credit' | 'depository' | 'loan' | 'brokerage' | 'other';

/** Plaid's account subtypes (`AccountSubtype`), as of API 2020-09-14. Plaid adds values over time.
 *
 * @inline
 */
type KnownAccountSubtype =
  | '401a'
  | '401k'
  | '403B'
  | '457b'
  | '529'
  | 'auto'
  | 'brokerage'
  | 'business'
  | 'cash isa'
  | 'cash management'
  | 'cd'
  | 'checking'
  | 'commercial'
  | 'construction'
  | 'consumer'
  | 'credit card'
  | 'crypto exchange'
  | 'ebt'
  | 'education savings account'
  | 'fhsa'
  | 'fixed annuity'
  | 'gic'
  | 'health reimbursement arrangement'
  | 'home equity'
  | 'hsa'
  | 'isa'
  | 'ira'
  | 'keogh'
  | 'lif'
  | 'life insurance'
  | 'limited purpose checking'
  | 'line of credit'
  | 'lira'
  | 'loan'
  | 'lrif'
  | 'lrsp'
  | 'money market'
  | 'mortgage'
  | 'mutual fund'
  | 'non-custodial wallet'
  | 'non-taxable brokerage account'
  | 'other'
  | 'other insurance'
  | 'other annuity'
  | 'overdraft'
  | 'paypal'
  | 'payroll'
  | 'pension'
  | 'prepaid'
  | 'prif'
  | 'profit sharing plan'
  | 'qshr'
  | 'rdsp'
  | 'resp'
  | 'retirement'
  | 'rlif'
  | 'roth'
  | 'roth 401k'
  | 'roth 403B'
  | 'roth 457b'
  | 'roth pension'
  | 'roth profit sharing plan'
  | 'roth thrift savings plan'
  | 'rrif'
  | 'rrsp'
  | 'sarsep'
  | 'savings'
  | 'sep ira'
  | 'simple ira'
  | 'sipp'
  | 'stock plan'
  | 'student'
  | 'thrift savings plan'
  | 'tfsa'
  | 'trust'
  | 'ugma'
  | 'utma'
  | 'variable annuity';

/** Plaid's products (`Products`), as of API 2020-09-14. Plaid adds values over time.
 *
 * @inline
 */
type KnownProduct =
  | 'assets'
  | 'auth'
  | 'balance'
  | 'balance_plus'
  | 'beacon'
  | 'identity'
  | 'identity_match'
  | 'investments'
  | 'investments_auth'
  | 'liabilities'
  | 'payment_initiation'
  | 'identity_verification'
  | 'transactions'
  | 'credit_details'
  | 'income'
  | 'income_verification'
  | 'standing_orders'
  | 'transfer'
  | 'employment'
  | 'recurring_transactions'
  | 'transactions_refresh'
  | 'signal'
  | 'statements'
  | 'processor_payments'
  | 'processor_identity'
  | 'profile'
  | 'cra_base_report'
  | 'cra_income_insights'
  | 'cra_partner_insights'
  | 'cra_network_insights'
  | 'cra_cashflow_insights'
  | 'cra_monitoring'
  | 'cra_lend_score'
  | 'cra_plaid_credit_score'
  | 'layer'
  | 'pay_by_bank'
  | 'protect_linked_bank'
  | 'protect_transactions';

/**
 * Plaid's country codes (`CountryCode`).
 *
 * @inline
 */
type KnownCountryCode =
  | 'US'
  | 'GB'
  | 'ES'
  | 'NL'
  | 'FR'
  | 'IE'
  | 'CA'
  | 'DE'
  | 'IT'
  | 'PL'
  | 'DK'
  | 'NO'
  | 'SE'
  | 'EE'
  | 'LT'
  | 'LV'
  | 'PT'
  | 'BE'
  | 'AT'
  | 'FI';

/** Plaid's error types (`PlaidErrorType`). Plaid adds values over time.
 *
 * @inline
 */
type KnownErrorType =
  | 'INVALID_REQUEST'
  | 'INVALID_RESULT'
  | 'INVALID_INPUT'
  | 'INSTITUTION_ERROR'
  | 'RATE_LIMIT_EXCEEDED'
  | 'API_ERROR'
  | 'ITEM_ERROR'
  | 'ASSET_REPORT_ERROR'
  | 'BASE_REPORT_ERROR'
  | 'RECAPTCHA_ERROR'
  | 'OAUTH_ERROR'
  | 'PAYMENT_ERROR'
  | 'BANK_TRANSFER_ERROR'
  | 'INCOME_VERIFICATION_ERROR'
  | 'MICRODEPOSITS_ERROR'
  | 'SANDBOX_ERROR'
  | 'PARTNER_ERROR'
  | 'SIGNAL_ERROR'
  | 'TRANSACTIONS_ERROR'
  | 'TRANSACTION_ERROR'
  | 'TRANSFER_ERROR'
  | 'CHECK_REPORT_ERROR'
  | 'CONSUMER_REPORT_ERROR'
  | 'USER_ERROR';

/** An account type: a known value or one Plaid added since. */
export type AccountType = OpenEnum<KnownAccountType>;
/** An account subtype: a known value or one Plaid added since. */
export type AccountSubtype = OpenEnum<KnownAccountSubtype>;
/** A Plaid product: a known value or one Plaid added since. */
export type Product = OpenEnum<KnownProduct>;
/** A country code: a known value or one Plaid added since. */
export type CountryCode = OpenEnum<KnownCountryCode>;
/** A Plaid error type: a known value or one Plaid added since. */
export type PlaidErrorType = OpenEnum<KnownErrorType>;

/** Schema of an account type. */
export const accountTypeSchema = openEnum<KnownAccountType>();
/** Schema of an account subtype. */
export const accountSubtypeSchema = openEnum<KnownAccountSubtype>();
/** Schema of a product. */
export const productSchema = openEnum<KnownProduct>();
/** Schema of an error type. */
export const errorTypeSchema = openEnum<KnownErrorType>();
