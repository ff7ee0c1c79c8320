import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ServiceList } from '@/components/cloud-services/service-list';

export const metadata: Metadata = { title: 'Cloud services' };

export default function CloudServicesPage() {
  return (
    <Suspense fallback={<p className="p-4 text-sm">Loading…</p>}>
      <ServiceList />
    </Suspense>
  );
}
