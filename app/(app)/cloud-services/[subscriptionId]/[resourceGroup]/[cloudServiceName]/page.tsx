import type { Metadata } from 'next';
import { ServicePage } from '@/components/cloud-services/service-page';

type Params = { subscriptionId: string; resourceGroup: string; cloudServiceName: string };

export async function generateMetadata({ params }: { params: Promise<Params> }): Promise<Metadata> {
  const { cloudServiceName } = await params;
  return { title: `${decodeURIComponent(cloudServiceName)} · Cloud services` };
}

export default async function CloudServicePage({ params }: { params: Promise<Params> }) {
  const p = await params;
  return (
    <ServicePage
      locator={{
        subscriptionId: decodeURIComponent(p.subscriptionId),
        resourceGroup: decodeURIComponent(p.resourceGroup),
        cloudServiceName: decodeURIComponent(p.cloudServiceName),
      }}
    />
  );
}
