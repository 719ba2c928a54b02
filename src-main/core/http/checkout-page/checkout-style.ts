/** The checkout page's stylesheet, served from /pay/assets/checkout.<hash>.css. Mobile first. */
export const CHECKOUT_CSS = String.raw`
:root {
  --bg: #eef1f4;
  --card: #ffffff;
  --text: #17202b;
  --muted: #566273;
  --line: #d9dee5;
  --accent: #0a6b4f;
  --accent-dark: #07533d;
  --accent-soft: #e5f3ee;
  --error: #9f1c1c;
  --error-bg: #fdeeee;
  --wait: #7a4b00;
  --wait-bg: #fff5df;
  --focus: #1a5fd0;
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Bengali", sans-serif;
}
.page { max-width: 480px; margin: 0 auto; padding: 12px 12px 32px; }
.card {
  background: var(--card);
  border: 1px solid var(--line);
  border-radius: 14px;
  padding: 18px 16px;
  box-shadow: 0 1px 2px rgba(16, 24, 40, 0.05);
}
.shop { display: flex; align-items: center; justify-content: space-between; gap: 8px; margin: 4px 2px 10px; }
.shop-name { margin: 0; font-size: 15px; font-weight: 600; color: var(--muted); }
.badge {
  display: inline-block; padding: 2px 8px; border-radius: 999px;
  background: var(--wait-bg); color: var(--wait); font-size: 12px; font-weight: 700; letter-spacing: .04em;
}
h1, h2 { margin: 0; line-height: 1.2; }
.amount-label { margin: 0; color: var(--muted); font-size: 14px; }
.amount { margin: 2px 0 6px; font-size: 34px; font-weight: 750; letter-spacing: -0.01em; word-break: break-word; }
.amount .currency { font-size: 20px; font-weight: 600; color: var(--muted); margin-right: 6px; }
.meta { margin: 0; padding: 0; list-style: none; color: var(--muted); font-size: 14px; }
.meta li { overflow-wrap: anywhere; }
.meta strong { color: var(--text); font-weight: 600; }
.section { margin-top: 16px; }
.step { display: block; font-size: 16px; font-weight: 650; margin: 0 0 8px; padding: 0; }
.hint { margin: 0 0 10px; color: var(--muted); font-size: 14px; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
.gateways { display: grid; gap: 10px; }
.gateway {
  position: relative;
  border: 1.5px solid var(--line);
  border-radius: 12px;
  padding: 12px 12px 10px 44px;
  background: #fff;
}
.gateway:has(input:checked) { border-color: var(--accent); background: var(--accent-soft); }
.gateway input[type="radio"] {
  position: absolute; left: 14px; top: 15px; width: 20px; height: 20px; margin: 0; accent-color: var(--accent);
}
.gateway label { display: block; cursor: pointer; }
.gateway-name { font-weight: 650; }
.gateway-variant { color: var(--muted); font-weight: 400; }
.gateway-label { display: block; color: var(--muted); font-size: 14px; overflow-wrap: anywhere; }
.accounts { margin: 8px 0 0; padding: 0; list-style: none; display: grid; gap: 6px; }
.account { display: flex; align-items: center; justify-content: space-between; gap: 8px; }
.account-number {
  font: 600 18px/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  letter-spacing: .02em; overflow-wrap: anywhere; user-select: all;
}
.copy {
  flex: none; min-height: 36px; padding: 6px 12px; border-radius: 8px;
  border: 1px solid var(--accent); background: #fff; color: var(--accent);
  font: inherit; font-size: 14px; font-weight: 600; cursor: pointer;
}
.copy[data-copied] { background: var(--accent); color: #fff; }
.field-label { display: block; font-weight: 650; margin: 0 0 6px; }
.txnid {
  width: 100%; min-height: 48px; padding: 10px 12px; border: 1.5px solid #aab3bf; border-radius: 10px;
  font: 600 18px/1.2 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  letter-spacing: .04em; text-transform: uppercase; background: #fff; color: var(--text);
}
.txnid::placeholder { text-transform: none; letter-spacing: 0; font-weight: 400; font-family: system-ui, sans-serif; color: #8a94a3; }
.primary {
  display: block; width: 100%; min-height: 50px; margin-top: 14px; padding: 12px 16px;
  border: 0; border-radius: 10px; background: var(--accent); color: #fff;
  font: inherit; font-size: 17px; font-weight: 700; cursor: pointer; text-align: center; text-decoration: none;
}
.primary:hover { background: var(--accent-dark); }
.primary[disabled] { opacity: .65; cursor: progress; }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.notice { margin: 14px 0 0; padding: 12px 14px; border-radius: 10px; font-size: 15px; }
.notice-error { background: var(--error-bg); color: var(--error); border: 1px solid #f3c4c4; }
.waiting { background: var(--wait-bg); color: var(--wait); border: 1px solid #f1dca6; }
.waiting h2 { font-size: 17px; margin-bottom: 4px; display: flex; align-items: center; gap: 10px; }
.waiting p { margin: 0 0 4px; }
.waiting .small { margin-top: 6px; font-size: 13px; }
.spinner {
  flex: none; width: 18px; height: 18px; border-radius: 50%;
  border: 3px solid rgba(122, 75, 0, .25); border-top-color: var(--wait);
  animation: spin 1s linear infinite;
}
@keyframes spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .spinner { animation: none; } }
.pay-details > summary { display: none; }
.pay-details.collapsible > summary {
  display: list-item; margin: 14px 0 0; padding: 10px 2px; color: var(--accent); font-weight: 600; cursor: pointer;
}
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace; letter-spacing: .03em; }
.cancel { margin: 18px 0 0; text-align: center; }
.link-button {
  background: none; border: 0; padding: 8px; color: var(--muted); font: inherit; font-size: 15px;
  text-decoration: underline; cursor: pointer;
}
.final { text-align: center; padding: 8px 0 4px; }
.final-icon {
  width: 56px; height: 56px; margin: 0 auto 10px; border-radius: 50%;
  display: flex; align-items: center; justify-content: center; font-size: 30px; font-weight: 700;
  background: #eceff3; color: var(--muted);
}
.final-success .final-icon { background: var(--accent-soft); color: var(--accent); }
.final h1 { font-size: 22px; margin-bottom: 6px; }
.final p { margin: 0 0 8px; color: var(--muted); }
.footer { margin: 14px 4px 0; text-align: center; color: var(--muted); font-size: 12px; }
.sr-only {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
[hidden] { display: none !important; }
@media (min-width: 520px) { .page { padding-top: 32px; } .card { padding: 24px; } }
`;
