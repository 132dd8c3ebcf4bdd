import { useEffect, useState } from "react";
import { App } from "./App";
import { Dashboard } from "./Dashboard";

// Two pages in one bundle, chosen by the URL's fragment (#/dashboard), so the API serves one
// index.html and a page can be bookmarked or opened in a new tab.
type Page = "send" | "dashboard";

function pageOf(hash: string): Page {
  return hash.replace(/^#\/?/, "") === "dashboard" ? "dashboard" : "send";
}

const TITLES: Record<Page, string> = { send: "Herald: send a notification", dashboard: "Herald: dashboard" };

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
