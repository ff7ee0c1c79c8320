// @ts-check
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The Docker image builds with NEXT_OUTPUT=standalone; `npm start` serves the regular build with `next start`.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  // The Azure SDKs and node-forge run on the server as plain Node modules.
  serverExternalPackages: [
    '@azure/identity',
    '@azure/msal-node',
    '@azure/keyvault-certificates',
    '@azure/arm-keyvault',
    '@azure/arm-resources-subscriptions',
    '@azure/arm-resources',
  ],
};

export default nextConfig;
