// Code of docs/payments.md. `plaid` is your facade; `userId`, `itemId`, `accountId` and the payment come
// from your app: the parameters of `examples`, which test/docs/docs-snippets-payments.test.ts calls with a
// facade over the fake Plaid.
import { isPlaidFacadeError, type PlaidFacade } from 'plaid-facade';

/** Your payment attempt, as your app keeps it. */
interface Payment {
  id: string; // your id of this attempt (at most 36 characters): one id, one evaluation
  amountUsd: number;
}

export async function examples({
  plaid,
  userId,
  itemId,
  accountId,
  payment,
}: {
  plaid: PlaidFacade;
  userId: string;
  itemId: string;
  accountId: string;
  payment: Payment;
}) {
  // #region evaluate
  const evaluation = await plaid.evaluatePayment({
    userId,
    itemId,
    accountId,
    amount: payment.amountUsd, // USD, at most two decimals
    paymentId: payment.id, // Plaid's client_transaction_id: a retry is the same evaluation
  });
  let decision: 'debit' | 'other-method' | 'review';
  switch (evaluation.result) {
    case 'ACCEPT':
      decision = 'debit';
      break;
    case 'REROUTE':
      decision = 'other-method'; // too risky for ACH: offer a card, say
      break;
    default:
      decision = 'review'; // 'REVIEW', a value Plaid adds later, or null (no ruleset applied)
  }
  console.log(decision, evaluation.rulesetKey, evaluation.balances?.available);
  // #endregion

  // #region report
  // Tell Plaid what you did, so that its rules learn (needed when you did not follow the result).
  await plaid.reportPaymentDecision({ paymentId: payment.id, initiated: decision === 'debit' });
  // Days later, if the bank returns the debit:
  if (decision === 'debit') await plaid.reportReturn({ paymentId: payment.id, returnCode: 'R01' });
  // #endregion
  return { evaluation, decision };
}

/** Linking an Item for Signal. */
export async function linkForSignal({ plaid, userId }: { plaid: PlaidFacade; userId: string }) {
  // #region link
  const { linkToken } = await plaid.linkToken({ userId, products: ['auth', 'signal'] });
  // #endregion
  return linkToken;
}

/** What to do when an evaluation's answer was lost and Plaid refuses its id as used. */
export async function lostAnswer({
  plaid,
  userId,
  itemId,
  accountId,
  payment,
  newPaymentId,
}: {
  plaid: PlaidFacade;
  userId: string;
  itemId: string;
  accountId: string;
  payment: Payment;
  newPaymentId: () => string;
}) {
  const input = { userId, itemId, accountId, amount: payment.amountUsd };
  // #region lost-answer
  try {
    return await plaid.evaluatePayment({ ...input, paymentId: payment.id });
  } catch (error) {
    if (!isPlaidFacadeError(error) || error.code !== 'PAYMENT_EVALUATION_EXISTS') throw error;
    // Evaluated at Plaid, but the result was lost: forget that attempt and evaluate under a new id.
    await plaid.reportPaymentDecision({ paymentId: payment.id, initiated: false });
    return await plaid.evaluatePayment({ ...input, paymentId: newPaymentId() });
  }
  // #endregion
}
