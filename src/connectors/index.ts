// Every outbound connector. Adding one is a file beside this one and a line here.
import { aims } from "./aims";
import { brevo } from "./brevo";
import { docusign } from "./docusign";
import { duncan } from "./duncan";
import { gtcs } from "./gtcs";
import { ips } from "./ips";
import { mailchimp } from "./mailchimp";
import { parkeon } from "./parkeon";
import { paystack } from "./paystack";
import { quickbooks } from "./quickbooks";
import { sendgrid } from "./sendgrid";
import { square } from "./square";
import { stripe } from "./stripe";
import { teller } from "./teller";
import { twilio } from "./twilio";
import { zoom } from "./zoom";
import type { Connector } from "./types";

const ALL: Connector[] = [stripe, twilio, ips, brevo, sendgrid, quickbooks, mailchimp, zoom, docusign];
ALL.push(square, paystack, teller, aims, parkeon, gtcs, duncan);

export const CONNECTORS: Readonly<Record<string, Connector>> = Object.freeze(Object.fromEntries(ALL.map((c) => [c.provider, c])));

export const connectorFor = (provider: string): Connector | undefined => (Object.hasOwn(CONNECTORS, provider) ? CONNECTORS[provider] : undefined);
