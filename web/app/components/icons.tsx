// Small inline icons (Heroicons-style paths), decorative only: every one is aria-hidden next to visible text.
const base = { "aria-hidden": true, viewBox: "0 0 20 20", fill: "currentColor" } as const;

export function ChevronUpDownIcon({ className = "size-4" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M10.53 3.47a.75.75 0 0 0-1.06 0L6.22 6.72a.75.75 0 0 0 1.06 1.06L10 5.06l2.72 2.72a.75.75 0 1 0 1.06-1.06l-3.25-3.25Zm-4.31 9.81 3.25 3.25a.75.75 0 0 0 1.06 0l3.25-3.25a.75.75 0 1 0-1.06-1.06L10 14.94l-2.72-2.72a.75.75 0 0 0-1.06 1.06Z" clipRule="evenodd" />
    </svg>
  );
}

export function CheckIcon({ className = "size-4" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M16.7 4.15a.75.75 0 0 1 .15 1.05l-8 10.5a.75.75 0 0 1-1.13.08l-4.5-4.5a.75.75 0 0 1 1.06-1.06l3.9 3.9 7.47-9.82a.75.75 0 0 1 1.05-.15Z" clipRule="evenodd" />
    </svg>
  );
}

export function HomeIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M9.3 2.3a1 1 0 0 1 1.4 0l7 7a1 1 0 0 1-1.4 1.4L16 10.4V17a1 1 0 0 1-1 1h-3a1 1 0 0 1-1-1v-3H9v3a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1v-6.6l-.3.3a1 1 0 0 1-1.4-1.4l7-7Z" clipRule="evenodd" />
    </svg>
  );
}

export function ChartIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path d="M15.5 2A1.5 1.5 0 0 0 14 3.5v13a1.5 1.5 0 0 0 1.5 1.5h1a1.5 1.5 0 0 0 1.5-1.5v-13A1.5 1.5 0 0 0 16.5 2h-1ZM9.5 6A1.5 1.5 0 0 0 8 7.5v9A1.5 1.5 0 0 0 9.5 18h1a1.5 1.5 0 0 0 1.5-1.5v-9A1.5 1.5 0 0 0 10.5 6h-1ZM3.5 10A1.5 1.5 0 0 0 2 11.5v5A1.5 1.5 0 0 0 3.5 18h1A1.5 1.5 0 0 0 6 16.5v-5A1.5 1.5 0 0 0 4.5 10h-1Z" />
    </svg>
  );
}

export function UsersIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path d="M7 8a3 3 0 1 0 0-6 3 3 0 0 0 0 6ZM14.5 9a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5ZM1.6 15.9a.8.8 0 0 1-.4-.8 6 6 0 0 1 11.6 0 .8.8 0 0 1-.4.8A9.9 9.9 0 0 1 7 17.5a9.9 9.9 0 0 1-5.4-1.6ZM14.3 16.5h-.4c.1-.4.2-.9.1-1.4a7.5 7.5 0 0 0-1.8-4.7 4.5 4.5 0 0 1 6.6 3.8.7.7 0 0 1-.4.7 8 8 0 0 1-4.1 1.6Z" />
    </svg>
  );
}

export function CogIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M7.84 1.8A1 1 0 0 1 8.82 1h2.36a1 1 0 0 1 .98.8l.28 1.4c.44.19.86.43 1.25.72l1.36-.46a1 1 0 0 1 1.19.45l1.18 2.04a1 1 0 0 1-.2 1.25l-1.08.95a6 6 0 0 1 0 1.7l1.08.95a1 1 0 0 1 .2 1.25l-1.18 2.04a1 1 0 0 1-1.19.45l-1.36-.46c-.39.29-.81.53-1.25.72l-.28 1.4a1 1 0 0 1-.98.8H8.82a1 1 0 0 1-.98-.8l-.28-1.4a6 6 0 0 1-1.25-.72l-1.36.46a1 1 0 0 1-1.19-.45l-1.18-2.04a1 1 0 0 1 .2-1.25l1.08-.95a6 6 0 0 1 0-1.7l-1.08-.95a1 1 0 0 1-.2-1.25l1.18-2.04a1 1 0 0 1 1.19-.45l1.36.46c.39-.29.81-.53 1.25-.72l.28-1.4ZM10 13a3 3 0 1 0 0-6 3 3 0 0 0 0 6Z" clipRule="evenodd" />
    </svg>
  );
}

export function ListIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M6 4.75A.75.75 0 0 1 6.75 4h10.5a.75.75 0 0 1 0 1.5H6.75A.75.75 0 0 1 6 4.75ZM6 10a.75.75 0 0 1 .75-.75h10.5a.75.75 0 0 1 0 1.5H6.75A.75.75 0 0 1 6 10Zm0 5.25a.75.75 0 0 1 .75-.75h10.5a.75.75 0 0 1 0 1.5H6.75a.75.75 0 0 1-.75-.75ZM1.99 4.75a1 1 0 0 1 1-1H3a1 1 0 1 1 0 2h-.01a1 1 0 0 1-1-1Zm1 4.25a1 1 0 1 0 0 2H3a1 1 0 1 0 0-2h-.01Zm-1 6.25a1 1 0 0 1 1-1H3a1 1 0 1 1 0 2h-.01a1 1 0 0 1-1-1Z" clipRule="evenodd" />
    </svg>
  );
}

export function BanknotesIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M1 4a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1V4Zm12 4a3 3 0 1 1-6 0 3 3 0 0 1 6 0ZM4 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Zm13-1a1 1 0 1 1-2 0 1 1 0 0 1 2 0ZM1.75 14.5a.75.75 0 0 0 0 1.5c4.42 0 8.7.6 12.75 1.73 1.11.31 2.25-.51 2.25-1.7v-.78a.75.75 0 0 0-1.5 0v.78a.27.27 0 0 1-.35.25A49 49 0 0 0 1.75 14.5Z" clipRule="evenodd" />
    </svg>
  );
}

export function KeyIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M8 7a5 5 0 1 1 3.61 4.8l-1.8 1.79a.75.75 0 0 1-.53.22H8v1.44a.75.75 0 0 1-.75.75H5.81v1.44a.75.75 0 0 1-.75.75H2.75a.75.75 0 0 1-.75-.75v-2.3c0-.2.08-.39.22-.53l5.98-5.98A5 5 0 0 1 8 7Zm5-3a1 1 0 0 0 0 2 1 1 0 0 1 1 1 1 1 0 1 0 2 0 3 3 0 0 0-3-3Z" clipRule="evenodd" />
    </svg>
  );
}

export function ShieldIcon({ className = "size-5" }: { className?: string }) {
  return (
    <svg {...base} className={className}>
      <path fillRule="evenodd" d="M9.66 1.14a.75.75 0 0 1 .68 0A13.4 13.4 0 0 0 16.2 2.9a.75.75 0 0 1 .74.52c.37 1.1.56 2.27.56 3.48 0 5.08-3.35 9.38-7.96 10.8a.75.75 0 0 1-.44 0C4.49 16.28 1.14 11.98 1.14 6.9c0-1.2.2-2.37.56-3.48a.75.75 0 0 1 .74-.52 13.4 13.4 0 0 0 7.22-1.76Z" clipRule="evenodd" />
    </svg>
  );
}

export function MenuIcon({ className = "size-6" }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.5} className={className}>
      <path strokeLinecap="round" strokeLinejoin="round" d="M3.75 6.75h16.5M3.75 12h16.5m-16.5 5.25h16.5" />
    </svg>
  );
}

export function CloseIcon({ className = "size-6" }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.5} className={className}>
      <path strokeLinecap="round" strokeLinejoin="round" d="M6 18 18 6M6 6l12 12" />
    </svg>
  );
}

export function PlugIcon({ className = "size-6" }: { className?: string }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.5} className={className}>
      <path strokeLinecap="round" strokeLinejoin="round" d="M13.19 8.69a4.5 4.5 0 0 1 1.24 7.24l-4.5 4.5a4.5 4.5 0 0 1-6.36-6.36l1.76-1.76m13.35-.62 1.76-1.76a4.5 4.5 0 0 0-6.36-6.36l-4.5 4.5a4.5 4.5 0 0 0 1.24 7.24" />
    </svg>
  );
}

export function Logo() {
  return (
    <span className="flex items-center gap-2 text-base font-semibold tracking-tight text-slate-900">
      <svg aria-hidden="true" viewBox="0 0 32 32" className="size-7">
        <rect width="32" height="32" rx="8" fill="#4338ca" />
        <path d="M9 21c2 2 4.5 3 7.5 3 4 0 6.5-2 6.5-5s-2.5-4-6-4.8c-3-.7-4.5-1.3-4.5-3S14 8.5 16 8.5c2 0 3.5.7 5 2" fill="none" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
      </svg>
      Sourceline
    </span>
  );
}
