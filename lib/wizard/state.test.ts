import { describe, expect, it } from 'vitest';
import { stateFromSearch, stateToSearch } from './state';
import { WIZARD_STEPS, nextStep, previousStep, stepPath } from './steps';

describe('wizard state in the URL', () => {
  it('round-trips vault and certificate', () => {
    const state = {
      vault: { subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333', resourceGroup: 'rg-cses-prod', vaultName: 'kv-contoso-prod' },
      certificate: { name: 'web-ssl', version: '0123456789abcdef0123456789abcdef' },
    };
    expect(stateFromSearch(new URLSearchParams(stateToSearch(state)))).toEqual(state);
  });

  it('ignores a partial vault', () => {
    expect(stateFromSearch(new URLSearchParams('sub=x&vault=y'))).toEqual({});
  });
});

describe('step registry', () => {
  it('links every step to its neighbours', () => {
    expect(WIZARD_STEPS.map((s) => s.id)).toEqual(['vault', 'access', 'certificate', 'service-configuration', 'secret-identifier']);
    expect(nextStep('vault')).toBe('access');
    expect(previousStep('vault')).toBeUndefined();
    expect(nextStep('secret-identifier')).toBeUndefined();
    expect(stepPath('certificate')).toBe('/wizard/certificate');
  });
});
