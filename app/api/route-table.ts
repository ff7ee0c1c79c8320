// The API's route table for the request guard's dispatch outside Next's router (decision 049): every route module
// under app/api, found by file with the same `import.meta.glob` as the API document, so a route Next serves is a
// route the table serves, and the other way round (lib/server/api-router.test.ts compares both with the disk).
export const API_ROUTE_MODULES = import.meta.glob<Record<string, unknown>>('/app/api/**/route.ts');
