// /v1/auth: staff sign in with a password (open) and trade a valid token for a fresh one (signed in).
export { login as signIn } from "./login";
export { refreshToken } from "./refresh";
