'use client';

import { useState } from 'react';
import type { RefusalAdvice } from '@/lib/errors';
import { CopyField } from './copy-field';
import { Tabs } from './tabs';

/**
 * One piece of advice: what to ask for, and the one az / PowerShell command an administrator can run. The copy
 * button is named for what the command does, so two pieces of advice on a page never share a button name.
 */
export function CommandTabs({
  advice,
  testId,
  showAsk = true,
}: {
  advice: RefusalAdvice;
  testId: string;
  /** False when the sentence is already shown (an error's action line). */
  showAsk?: boolean;
}) {
  const [tab, setTab] = useState<'az' | 'powershell'>('az');
  return (
    <div className="space-y-2" data-testid={testId}>
      {showAsk && (
        <p className="text-sm font-semibold" data-testid={`${testId}-ask`}>
          {advice.ask}
        </p>
      )}
      <Tabs
        label={`Command for an administrator: ${advice.purpose}`}
        tabs={[
          { id: 'az', label: 'Azure CLI' },
          { id: 'powershell', label: 'PowerShell' },
        ]}
        selected={tab}
        onSelect={setTab}
      >
        <CopyField
          label={`${tab === 'az' ? 'Azure CLI' : 'PowerShell'} command to ${advice.purpose}`}
          value={tab === 'az' ? advice.az : advice.powershell}
          testId={`${testId}-${tab}`}
        />
      </Tabs>
    </div>
  );
}
