import { render } from "preact";
import { App } from "./app";
import { startTokenRefresh } from "./auth/refresh";
import "./styles.css";

startTokenRefresh();
render(<App />, document.getElementById("app")!);
