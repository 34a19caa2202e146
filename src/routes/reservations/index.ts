// Reservations of spaces in zones with a capacity (docs/reservations.md): held and listed under their
// zone (/v1/zones/{code}/reservations), read, confirmed and cancelled by id (/v1/reservations/{id}).
import { router } from "../../http/router";
import { cancelReservation } from "./cancel";
import { confirmReservation } from "./confirm";
import { createReservation } from "./create";
import { getReservation } from "./get";
import { listReservations } from "./list";

export const zoneReservations = router().route("/", createReservation).route("/", listReservations);

export const reservations = router().route("/", getReservation).route("/", confirmReservation).route("/", cancelReservation);
