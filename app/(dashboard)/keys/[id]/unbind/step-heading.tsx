"use client";

import { useEffect, useRef, type ReactNode } from "react";

// Each new step's heading takes the focus, so a keyboard or screen-reader user lands on the
// step that just opened instead of on the button that opened it. Rendered with key={step}.
export function StepHeading({ children, id }: { children: ReactNode; id: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h2 ref={ref} id={id} tabIndex={-1} className="text-xl font-semibold outline-none focus-visible:ring-2 focus-visible:ring-indigo-500" data-testid="step-heading">
      {children}
    </h2>
  );
}
