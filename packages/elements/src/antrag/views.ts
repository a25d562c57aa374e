/**
 * The entry of the lazy chunk <ozg-antrag> loads for services with steps or a submission endpoint:
 * the assistant (steps, summary, receipt), the Nachweise (attachments) and the payment views. A page
 * showing a bare schema never loads it.
 */
export { Assistant, type AssistantView } from './assistant.js';
export { Attachments } from './attachments.js';
export { receiptPage } from './receipt.js';
export { PaymentStep } from './payment-step.js';
export { AccountSignIn, type SignInHost } from './sign-in.js';
