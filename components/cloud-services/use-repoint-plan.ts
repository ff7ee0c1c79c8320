'use client';

import { useState } from 'react';
import type { RepointPlanRequest, RotationPlanResponse } from '@/lib/api/types';
import { serviceApi, type ServiceLocator } from '@/lib/cloud-services/paths';
import { useApiCall } from '@/components/wizard/use-api';

/**
 * One repoint plan (`POST …/repoint-plan`) for the panels that move osProfile entries to other certificate versions
 * (converted secrets, copies): the request is sent, the plan handed to the service page, and the panel shows
 * `planning` and the refusal next to its own button.
 */
export function useRepointPlan(
  locator: ServiceLocator,
  onPlanned: (response: RotationPlanResponse, request: RepointPlanRequest) => void,
) {
  const call = useApiCall();
  const [error, setError] = useState<unknown>(null);
  const [planning, setPlanning] = useState(false);
  const plan = async (request: RepointPlanRequest) => {
    setPlanning(true);
    setError(null);
    try {
      const response = await call<RotationPlanResponse>(`${serviceApi(locator)}/repoint-plan`, {
        method: 'POST',
        body: JSON.stringify(request),
      });
      onPlanned(response, request);
    } catch (e) {
      setError(e);
    } finally {
      setPlanning(false);
    }
  };
  return { plan, planning, error };
}
