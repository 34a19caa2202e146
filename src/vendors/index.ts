// Every provider Curbgate speaks to. Adding one is a file beside this one and a line here.
import { stripe } from "./stripe";
import { square } from "./square";
import { paystack } from "./paystack";
import { teller } from "./teller";
import { ips } from "./ips";
import { aims } from "./aims";
import { parkeon } from "./parkeon";
import { gtcs } from "./gtcs";
import { duncan } from "./duncan";
import { quickbooks } from "./quickbooks";
import { mailchimp } from "./mailchimp";
import { twilio } from "./twilio";
import { brevo } from "./brevo";
import { sendgrid } from "./sendgrid";
import { docusign } from "./docusign";
import { zoom } from "./zoom";
import type { Provider } from "./types";

export const PROVIDERS: Readonly<Record<string, Provider>> = Object.freeze(
  Object.fromEntries([stripe, square, paystack, teller, ips, aims, parkeon, gtcs, duncan, quickbooks, mailchimp, twilio, brevo, sendgrid, docusign, zoom].map((p) => [p.id, p])),
);

export const providerById = (id: string): Provider | undefined => (Object.hasOwn(PROVIDERS, id) ? PROVIDERS[id] : undefined);
