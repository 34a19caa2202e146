// Every outbound connector. Adding one is a file beside this one and a line here.
import { aims } from "./aims/connector";
import { brevo } from "./brevo/connector";
import { docusign } from "./docusign/connector";
import { duncan } from "./duncan/connector";
import { gtcs } from "./gtcs/connector";
import { ips } from "./ips/connector";
import { mailchimp } from "./mailchimp/connector";
import { parkeon } from "./parkeon/connector";
import { paystack } from "./paystack/connector";
import { quickbooks } from "./quickbooks/connector";
import { sendgrid } from "./sendgrid/connector";
import { square } from "./square/connector";
import { stripe } from "./stripe/connector";
import { teller } from "./teller/connector";
import { twilio } from "./twilio/connector";
import { zoom } from "./zoom/connector";
import type { Connector } from "../sync/contract";

const ALL: Connector[] = [stripe, twilio, ips, brevo, sendgrid, quickbooks, mailchimp, zoom, docusign];
ALL.push(square, paystack, teller, aims, parkeon, gtcs, duncan);

export const CONNECTORS: Readonly<Record<string, Connector>> = Object.freeze(Object.fromEntries(ALL.map((c) => [c.provider, c])));

export const connectorFor = (provider: string): Connector | undefined => (Object.hasOwn(CONNECTORS, provider) ? CONNECTORS[provider] : undefined);
