import type { Config } from 'tailwindcss';

// Portal-like palette: Azure blue accents on neutral greys; dark mode follows the OS.
const config: Config = {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}'],
  darkMode: 'media',
  theme: {
    extend: {
      colors: {
        azure: { 50: '#eff6fc', 100: '#deecf9', 500: '#0078d4', 600: '#106ebe', 700: '#005a9e', 900: '#004578' },
      },
      fontFamily: {
        sans: ['"Segoe UI"', 'system-ui', '-apple-system', 'Roboto', '"Helvetica Neue"', 'Arial', 'sans-serif'],
        mono: ['"Cascadia Mono"', 'Consolas', '"SFMono-Regular"', 'Menlo', 'monospace'],
      },
    },
  },
};

export default config;
