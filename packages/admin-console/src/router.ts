import { useEffect, useRef, useState } from 'preact/hooks';

/** The console's pages, by path under the base (`/admin/`). */
export type Route =
  | { readonly page: 'users'; readonly query: URLSearchParams }
  | { readonly page: 'profile'; readonly userId: string }
  | { readonly page: 'sign-in' }
  | { readonly page: 'callback'; readonly query: URLSearchParams };

const BASE = import.meta.env.BASE_URL;

function routeOf(location: Pick<Location, 'pathname' | 'search'>): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : '';
  const query = new URLSearchParams(location.search);
  const profile = /^users\/([^/]+)$/.exec(path);
  if (profile) return { page: 'profile', userId: decodeURIComponent(profile[1]!) };
  if (path === 'sign-in') return { page: 'sign-in' };
  if (path === 'callback') return { page: 'callback', query };
  return { page: 'users', query };
}

export const href = (path: string) => `${BASE}${path}`;

/** Goes to a page of the console without reloading it (history API). */
export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, '', href(path));
  else history.pushState(null, '', href(path));
  dispatchEvent(new PopStateEvent('popstate'));
}

/** The current route, following links, the back and forward buttons. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeOf(location));
  useEffect(() => {
    const update = () => setRoute(routeOf(location));
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return route;
}

/** A plain click on a link inside the console navigates without a reload. */
export function onLinkClick(event: MouseEvent): void {
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (link.getAttribute('href')?.startsWith('#')) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(BASE)) return;
  event.preventDefault();
  navigate(url.pathname.slice(BASE.length) + url.search);
}

/**
 * Each page names itself: the document's title, and its heading takes the focus after a
 * navigation so that a screen reader announces the new page and Tab starts from there.
 */
export function usePageHeading(title: string) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · User profiles admin`;
    heading.current?.focus();
  }, [title]);
  return heading;
}
