import { describe, expect, it } from 'vitest';
import { stateFromSearch, stateToSearch } from './state';
import { WIZARD_STEPS, nextStep, previousStep, stepNavigation, stepPath } from './steps';

describe('wizard state in the URL', () => {
  it('round-trips vault and certificate', () => {
    const state = {
      vault: {
        subscriptionId: '0b1f6471-1bf0-4dda-aec3-111122223333',
        resourceGroup: 'rg-cses-prod',
        vaultName: 'kv-contoso-prod',
      },
      certificate: { name: 'web-ssl', version: '0123456789abcdef0123456789abcdef' },
    };
    expect(stateFromSearch(new URLSearchParams(stateToSearch(state)))).toEqual(state);
  });

  it('round-trips the preflight target and the service configuration', () => {
    const state = {
      vault: { subscriptionId: 's', resourceGroup: 'rg', vaultName: 'kv' },
      target: { subscriptionId: '5c2e8f90-3a7b-4d1c-b2e4-444455556666', location: 'eastus' },
      service: { roles: ['WebRole1', 'Worker Role'], name: 'SSL', storeLocation: 'LocalMachine', storeName: 'My' },
    };
    expect(stateFromSearch(new URLSearchParams(stateToSearch(state)))).toEqual(state);
  });

  it('keeps an empty role list (all roles deselected) distinct from no service state', () => {
    const state = { service: { roles: [] } };
    expect(stateFromSearch(new URLSearchParams(stateToSearch(state)))).toEqual(state);
    expect(stateFromSearch(new URLSearchParams(''))).toEqual({});
  });

  it('ignores a partial vault', () => {
    expect(stateFromSearch(new URLSearchParams('sub=x&vault=y'))).toEqual({});
  });

  it('never carries anything but names and ids', () => {
    const q = stateToSearch({
      vault: { subscriptionId: 's', resourceGroup: 'r', vaultName: 'v' },
      certificate: { name: 'c', version: 'v1' },
    });
    expect(q).not.toMatch(/password|pfx|file/i);
  });
});

describe('step registry', () => {
  it('links every step to its neighbours', () => {
    expect(WIZARD_STEPS.map((s) => s.id)).toEqual([
      'vault',
      'access',
      'certificate',
      'preflight',
      'service-configuration',
      'secret-identifier',
      'versions',
    ]);
    expect(nextStep('vault')).toBe('access');
    expect(nextStep('certificate')).toBe('preflight');
    expect(previousStep('vault')).toBeUndefined();
    expect(nextStep('versions')).toBeUndefined();
    expect(stepPath('certificate')).toBe('/wizard/certificate');
  });

  it('gives every step its Back and Next from the registry', () => {
    expect(stepNavigation('vault')).toEqual({
      back: null,
      next: { step: 'access', label: 'Next: Access configuration' },
    });
    expect(stepNavigation('preflight')).toEqual({
      back: { step: 'certificate', label: 'Back' },
      next: { step: 'service-configuration', label: 'Next: Service configuration' },
    });
    expect(stepNavigation('versions')).toEqual({ back: { step: 'secret-identifier', label: 'Back' }, next: null });
    for (const s of WIZARD_STEPS) {
      const nav = stepNavigation(s.id);
      expect(nav.next?.step).toBe(nextStep(s.id));
      expect(nav.back?.step).toBe(previousStep(s.id));
    }
  });
});
