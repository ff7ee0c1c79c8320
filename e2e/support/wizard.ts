import { expect, type Page } from '@playwright/test';
import { stepPath, WIZARD_STEPS, type StepId } from '../../lib/wizard/steps';

/** Drives the wizard through the step registry, with role/label locators only. */
export class Wizard {
  constructor(readonly page: Page) {}

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

  async next(step: StepId) {
    const meta = WIZARD_STEPS.find((s) => s.id === step)!;
    await this.page.getByRole('button', { name: `Next: ${meta.label}` }).click();
    await this.expectStep(step);
  }

  async chooseVault(subscription: string, vault: string) {
    await this.page.getByLabel('Subscription').selectOption({ label: subscription });
    await this.page.getByRole('radio', { name: vault }).check();
  }

  async clipboard(): Promise<string> {
    return this.page.evaluate(() => navigator.clipboard.readText());
  }
}
