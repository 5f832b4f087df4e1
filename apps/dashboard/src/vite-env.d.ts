// Vite's typings for asset imports such as `?url` (ELK's worker script in layout.ts).
/// <reference types="vite/client" />
