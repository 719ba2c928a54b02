import { z } from 'zod';
import { AppError } from '../errors';
import { MAX_TXNID_LENGTH } from './txnid';

/** What a customer sends from the checkout (JSON or form fields); the OpenAPI document uses this same object. */
export const checkoutSubmitSchema = z.looseObject({
  txnid: z.string().min(1).max(MAX_TXNID_LENGTH).describe('The TxnID exactly as the wallet SMS printed it.'),
  gateway_id: z
    .union([z.string().max(20), z.number().int()])
    .nullish()
    .describe("Which of the shop's gateways was paid; needed only when the TxnID fits several wallets."),
});

export type CheckoutSubmit = z.infer<typeof checkoutSubmitSchema>;

export function parseCheckoutSubmit(body: unknown): CheckoutSubmit {
  const result = checkoutSubmitSchema.safeParse(typeof body === 'object' && body !== null ? body : {});
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.join('.') || 'txnid';
    const hint = field === 'txnid' ? 'give the transaction ID from the wallet SMS' : (issue?.message ?? 'invalid');
    throw new AppError('validation_failed', `${field}: ${hint}`, {
      publicMessage: 'Please enter the transaction ID from your wallet SMS.',
      hints: { field },
    });
  }
  return result.data;
}
