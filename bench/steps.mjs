// The wizard's step ids, from the one step registry (lib/wizard/steps.ts).
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './support.mjs';

const registry = await tsImport(pathToFileURL(path.join(ROOT, 'lib/wizard/steps.ts')).href, import.meta.url);
export const WIZARD_STEP_IDS = registry.WIZARD_STEPS.map((s) => s.id);
