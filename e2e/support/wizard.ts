import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, type TestInfo } from '@playwright/test';
import { axeViolations } from './axe';
import { stepIndex, stepPath, WIZARD_STEPS, type StepId } from '../../lib/wizard/steps';

/** Where every step's screenshot goes (kept after the run, one PNG per persona and step). */
export const STEP_SHOTS_DIR = path.resolve('test-results', 'steps');

/** Drives the wizard through the step registry, with role/label locators only. */
export class Wizard {
  private shot = 0;
  constructor(
    readonly page: Page,
    private readonly info?: TestInfo,
    private readonly persona = 'user',
  ) {}

  async open(step: StepId = 'vault') {
    await this.page.goto(stepPath(step));
  }

  async signInAs(displayName: string) {
    await this.page.getByRole('button', { name: `Sign in as ${displayName}` }).click();
    await expect(this.page.getByRole('button', { name: new RegExp(displayName) })).toBeVisible();
  }

  async expectStep(step: StepId) {
    await expect(this.page).toHaveURL(new RegExp(`${stepPath(step)}(\\?|$)`));
    const meta = WIZARD_STEPS.find((s) => s.id === step)!;
    await expect(this.page.getByRole('heading', { level: 1, name: meta.title })).toBeVisible();
  }

  /** Clicks "Next" until `step`: through any steps in between, so callers name where they go, not the registry's order. */
  async next(step: StepId) {
    const target = stepIndex(step);
    const current = WIZARD_STEPS.findIndex((s) => new URL(this.page.url()).pathname === stepPath(s.id));
    for (let i = current >= 0 && current < target ? current + 1 : target; i <= target; i++) {
      const meta = WIZARD_STEPS[i]!;
      await this.page.getByRole('button', { name: `Next: ${meta.label}` }).click();
      await this.expectStep(meta.id);
    }
  }

  /** A labelled control that is visible now (the certificate step keeps its other tabs mounted, hidden). */
  field(label: string | RegExp) {
    return this.page.getByLabel(label).filter({ visible: true });
  }

  async chooseVault(subscription: string, vault: string) {
    await this.page.getByLabel('Subscription').selectOption({ label: subscription });
    await this.page.getByRole('radio', { name: vault }).check();
  }

  /** axe (every rule, any impact: e2e/support/axe.ts) must report nothing; then a full-page screenshot saved as a test artifact. */
  async checkStep(step: StepId, label = '') {
    await this.expectStep(step);
    // Metadata streams in after a client-side navigation: wait for this step's <title> before axe looks.
    await expect(this.page).toHaveTitle(
      new RegExp(WIZARD_STEPS.find((s) => s.id === step)!.label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    );
    expect(await axeViolations(this.page), `axe violations on ${step}`).toEqual([]);
    mkdirSync(STEP_SHOTS_DIR, { recursive: true });
    const index = String(++this.shot).padStart(2, '0');
    const file = path.join(STEP_SHOTS_DIR, `${this.persona}-${index}-${step}${label ? `-${label}` : ''}.png`);
    await this.page.screenshot({ path: file, fullPage: true });
    await this.info?.attach(`${step}${label ? ` (${label})` : ''}`, { path: file, contentType: 'image/png' });
  }

  /** Signs in, picks the vault and moves on to the certificate step: the usual start of an import test. */
  async toCertificateStep(displayName = 'Ada Admin', subscription = 'Contoso Production', vault = 'kv-contoso-prod') {
    await this.open('vault');
    await this.signInAs(displayName);
    await this.chooseVault(subscription, vault);
    await this.next('access');
    await this.next('certificate');
  }

  async clipboard(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }
}
