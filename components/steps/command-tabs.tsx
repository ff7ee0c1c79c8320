'use client';

import { useState } from 'react';
import type { AccessAdvice } from '@/lib/wizard/access';
import { CopyField } from '@/components/ui/copy-field';
import { Tabs } from '@/components/ui/tabs';

/** One piece of advice: what to ask for, and the az / PowerShell command an administrator can run. */
export function CommandTabs({ advice, testId }: { advice: AccessAdvice; testId: string }) {
  const [tab, setTab] = useState<'az' | 'powershell'>('az');
  return (
    <div className="space-y-2" data-testid={testId}>
      <p className="text-sm font-semibold" data-testid={`${testId}-ask`}>
        {advice.ask}
      </p>
      <Tabs
        label="Command for an administrator"
        tabs={[
          { id: 'az', label: 'Azure CLI' },
          { id: 'powershell', label: 'PowerShell' },
        ]}
        selected={tab}
        onSelect={setTab}
      >
        <CopyField
          label={tab === 'az' ? 'Azure CLI command' : 'PowerShell command'}
          value={tab === 'az' ? advice.az : advice.powershell}
          testId={`${testId}-${tab}`}
        />
      </Tabs>
    </div>
  );
}
