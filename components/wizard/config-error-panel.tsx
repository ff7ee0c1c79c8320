import { Callout } from '@/components/ui/callout';

export function ConfigErrorPanel({ message, action }: { message: string; action: string }) {
  return (
    <main className="mx-auto max-w-3xl p-6">
      <Callout tone="error" title={message}>
        {action}
      </Callout>
    </main>
  );
}
