/** Regions offered when creating a vault or naming the cloud service's region (ARM spelling + display name). */
export const REGIONS: ReadonlyArray<{ name: string; displayName: string }> = [
  { name: 'westeurope', displayName: 'West Europe' },
  { name: 'northeurope', displayName: 'North Europe' },
  { name: 'uksouth', displayName: 'UK South' },
  { name: 'francecentral', displayName: 'France Central' },
  { name: 'germanywestcentral', displayName: 'Germany West Central' },
  { name: 'swedencentral', displayName: 'Sweden Central' },
  { name: 'eastus', displayName: 'East US' },
  { name: 'eastus2', displayName: 'East US 2' },
  { name: 'centralus', displayName: 'Central US' },
  { name: 'westus2', displayName: 'West US 2' },
  { name: 'westus3', displayName: 'West US 3' },
  { name: 'canadacentral', displayName: 'Canada Central' },
  { name: 'brazilsouth', displayName: 'Brazil South' },
  { name: 'australiaeast', displayName: 'Australia East' },
  { name: 'japaneast', displayName: 'Japan East' },
  { name: 'southeastasia', displayName: 'Southeast Asia' },
  { name: 'centralindia', displayName: 'Central India' },
];

export function regionLabel(name: string): string {
  return REGIONS.find((r) => r.name === name.toLowerCase())?.displayName ?? name;
}

const regionKey = (r: string | null) => (r ?? '').replace(/\s/g, '').toLowerCase();

/** Whether two regions are the same as ARM compares them: `West Europe` and `westeurope` are. */
export function sameRegion(a: string | null, b: string | null): boolean {
  return regionKey(a) === regionKey(b);
}
