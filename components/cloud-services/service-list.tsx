'use client';

import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { useMemo, useState } from 'react';
import type { CloudServiceList, SubscriptionSummary } from '@/lib/api/types';
import { cloudServicesApi, cloudServicesPage, servicePage } from '@/lib/cloud-services/paths';
import { ErrorCallout } from '@/components/ui/error-callout';
import { INPUT_CLASS } from '@/components/ui/field';
import { useApi } from '@/components/wizard/use-api';
import { Blade, COMMAND } from './blade';
import { HealthBadge } from './health-badge';

type Sort = 'expiry-asc' | 'expiry-desc' | 'name';

/** Every cloud service of a subscription with its certificate health, soonest expiry first. */
export function ServiceList() {
  const search = useSearchParams();
  const router = useRouter();
  const subs = useApi<{ subscriptions: SubscriptionSummary[] }>('/api/subscriptions');
  const chosen = search.get('subscription') ?? subs.data?.subscriptions[0]?.subscriptionId ?? null;
  const list = useApi<CloudServiceList>(chosen ? cloudServicesApi(chosen) : null);
  const [sort, setSort] = useState<Sort>('expiry-asc');

  const rows = useMemo(() => {
    const out = [...(list.data?.services ?? [])];
    const days = (d: number | null) => d ?? Number.POSITIVE_INFINITY;
    if (sort === 'name') out.sort((a, b) => a.name.localeCompare(b.name));
    else
      out.sort(
        (a, b) =>
          (days(a.health.daysLeft) - days(b.health.daysLeft)) * (sort === 'expiry-asc' ? 1 : -1) ||
          a.name.localeCompare(b.name),
      );
    return out;
  }, [list.data, sort]);

  const counts = useMemo(() => {
    const c = { healthy: 0, expiring: 0, broken: 0, attention: 0 };
    for (const s of list.data?.services ?? []) c[s.health.status]++;
    return c;
  }, [list.data]);

  const subName = subs.data?.subscriptions.find((s) => s.subscriptionId === chosen)?.displayName;
  return (
    <Blade
      crumbs={[{ label: 'Home', href: '/wizard/vault' }, { label: 'Cloud services' }]}
      title="Cloud services"
      subtitle="Cloud Services (extended support) · certificates of running services"
      commands={
        <button type="button" className={COMMAND} onClick={list.reload} disabled={list.loading}>
          <span aria-hidden="true">↻</span> Refresh
        </button>
      }
    >
      <div className="space-y-4">
        <p className="max-w-3xl text-sm text-neutral-700 dark:text-neutral-300">
          Every certificate each running service depends on: the .cscfg thumbprint of each role, the osProfile.secrets
          version it is installed from, and when it expires. New Cloud Services (extended support) can no longer be
          created (retirement on 31 March 2027), so keeping these certificates current is the live path.
        </p>
        <ErrorCallout error={subs.error} onRetry={subs.reload} />
        <div className="flex max-w-md flex-col text-sm">
          <label htmlFor="subscription" className="font-semibold">
            Subscription
          </label>
          <select
            id="subscription"
            className={INPUT_CLASS}
            value={chosen ?? ''}
            onChange={(e) => router.replace(cloudServicesPage(e.target.value))}
          >
            {(subs.data?.subscriptions ?? []).map((s) => (
              <option key={s.subscriptionId} value={s.subscriptionId}>
                {s.displayName}
              </option>
            ))}
          </select>
        </div>
        <ErrorCallout error={list.error} onRetry={list.reload} />
        {list.loading && !list.data && (
          <p className="text-sm" role="status">
            Reading the cloud services of {subName ?? 'the subscription'} and their vaults…
          </p>
        )}
        {list.data && (
          <>
            <p className="text-sm" data-testid="health-summary" aria-live="polite">
              {list.data.services.length} service{list.data.services.length === 1 ? '' : 's'}: {counts.healthy} healthy,{' '}
              {counts.expiring} expiring within {list.data.windowDays} days, {counts.broken} broken, {counts.attention}{' '}
              needing attention.
            </p>
            <div className="overflow-x-auto" tabIndex={0} role="region" aria-label="Cloud services table">
              <table className="w-full text-left text-sm" data-testid="service-list">
                <caption className="sr-only">Cloud services of {subName}, with certificate health</caption>
                <thead className="border-b border-neutral-300 dark:border-neutral-700">
                  <tr>
                    <th scope="col" className="py-2 pr-4" aria-sort={sort === 'name' ? 'ascending' : 'none'}>
                      <button type="button" className="font-semibold hover:underline" onClick={() => setSort('name')}>
                        Name
                      </button>
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Resource group
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Location
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Health
                    </th>
                    <th
                      scope="col"
                      className="py-2 pr-4"
                      aria-sort={sort === 'expiry-asc' ? 'ascending' : sort === 'expiry-desc' ? 'descending' : 'none'}
                    >
                      <button
                        type="button"
                        className="font-semibold hover:underline"
                        onClick={() => setSort(sort === 'expiry-asc' ? 'expiry-desc' : 'expiry-asc')}
                      >
                        Soonest expiry{' '}
                        <span aria-hidden="true">
                          {sort === 'expiry-asc' ? '▲' : sort === 'expiry-desc' ? '▼' : ''}
                        </span>
                      </button>
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Certificates
                    </th>
                    <th scope="col" className="py-2 pr-4">
                      Summary
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((s) => (
                    <tr
                      key={s.id}
                      className="border-b border-neutral-200 align-top dark:border-neutral-800"
                      data-testid="service-row"
                      data-service={s.name}
                      data-health={s.health.status}
                    >
                      <td className="py-2 pr-4 font-semibold whitespace-nowrap">
                        <Link
                          className="text-azure-700 hover:underline dark:text-azure-100"
                          href={servicePage({
                            subscriptionId: s.subscriptionId,
                            resourceGroup: s.resourceGroup,
                            cloudServiceName: s.name,
                          })}
                        >
                          {s.name}
                        </Link>
                      </td>
                      <td className="py-2 pr-4 whitespace-nowrap">{s.resourceGroup}</td>
                      <td className="py-2 pr-4">{s.location}</td>
                      <td className="py-2 pr-4">
                        <HealthBadge status={s.health.status} label={s.health.label} testId="health-label" />
                      </td>
                      <td className="py-2 pr-4 whitespace-nowrap">
                        {s.health.soonestExpiry
                          ? `${s.health.soonestExpiry.slice(0, 10)} (${s.health.daysLeft} days)`
                          : '—'}
                      </td>
                      <td className="py-2 pr-4">{s.certificates}</td>
                      <td className="py-2 pr-4 text-neutral-700 [overflow-wrap:anywhere] dark:text-neutral-300">
                        {s.health.summary}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {rows.length === 0 && <p className="text-sm">This subscription has no cloud services you can see.</p>}
          </>
        )}
      </div>
    </Blade>
  );
}
