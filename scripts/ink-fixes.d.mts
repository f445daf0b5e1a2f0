import type { Plugin } from 'esbuild';
export declare const inkFixes: Plugin;
