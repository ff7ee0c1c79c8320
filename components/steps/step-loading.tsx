export function StepLoading() {
  return (
    <p className="mt-4 text-sm" role="status">
      Loading this step…
    </p>
  );
}
