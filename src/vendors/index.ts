// The one registry of vendors. Adding a vendor is a folder beside this file (src/vendors/<id>/: its
// catalogue entry, webhook reader and effects, signature recipe, connector, README) and an entry here
// (its import and its place in VENDORS).
// Only entry points (routes, queue consumers, Durable Objects) look vendors up; the engines they call
// receive the vendor (or its connector) as an argument.
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
import type { Vendor } from "./types";
import type { Connector } from "../sync/contract";

export const VENDORS: Readonly<Record<string, Vendor>> = Object.freeze(
  Object.fromEntries(
    [
      stripe,
      square,
      paystack,
      teller,
      ips,
      aims,
      parkeon,
      gtcs,
      duncan,
      quickbooks,
      mailchimp,
      twilio,
      brevo,
      sendgrid,
      docusign,
      zoom,
    ].map((v) => [v.id, v]),
  ),
);

export const vendorById = (id: string): Vendor | undefined => (Object.hasOwn(VENDORS, id) ? VENDORS[id] : undefined);

/** The vendor's connector, if Curbgate calls its API. */
export const connectorOf = (id: string): Connector | undefined => vendorById(id)?.connector;

/** Every connector, for the engines that pick one by capability (which vendors can refund, which can text). */
export const CONNECTORS: Readonly<Record<string, Connector>> = Object.freeze(
  Object.fromEntries(Object.values(VENDORS).flatMap((v) => (v.connector ? [[v.id, v.connector]] : []))),
);
