import { useEffect, useState } from "react";
import { App } from "./App";
import { Dashboard } from "./Dashboard";
import { Me } from "./Me";

// Three pages in one bundle, chosen by the URL's fragment (#/dashboard, #/me), so the API serves one
// index.html and a page can be bookmarked or opened in a new tab. #/me is a Slurm user's own settings,
// reached through a mailed link (#/me?t=...); it is not in the operators' navigation.
type Page = "send" | "dashboard" | "me";

function pageOf(hash: string): Page {
  const path = hash.replace(/^#\/?/, "").split("?")[0];
  return path === "dashboard" ? "dashboard" : path === "me" ? "me" : "send";
}

const TITLES: Record<Page, string> = {
  send: "Herald: send a notification",
  dashboard: "Herald: dashboard",
  me: "Herald: your notification settings",
};

export function Shell() {
  const [page, setPage] = useState<Page>(pageOf(window.location.hash));
  useEffect(() => {
    const onChange = () => setPage(pageOf(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  useEffect(() => {
    document.title = TITLES[page];
  }, [page]);
  if (page === "me") return <Me />;
  return (
    <>
      <nav aria-label="Pages" className="pages">
        <a href="#/" aria-current={page === "send" ? "page" : undefined}>Send</a>
        <a href="#/dashboard" aria-current={page === "dashboard" ? "page" : undefined}>Dashboard</a>
      </nav>
      {page === "dashboard" ? <main className="wide"><Dashboard /></main> : <App />}
    </>
  );
}
