import { type Cost, calculateCost, type PricedPrediction } from 'replikit/pricing';
import { describe, expectTypeOf, it } from 'vitest';
import type { Deployment } from '../../src/schemas/deployment';
import type { Prediction } from '../../src/schemas/prediction';

describe('types', () => {
  it('accepts a Prediction and a Deployment from the client', () => {
    expectTypeOf<Prediction>().toExtend<PricedPrediction>();
    expectTypeOf<Prediction<string[]>>().toExtend<PricedPrediction>();
    expectTypeOf<Deployment>().toExtend<NonNullable<Parameters<typeof calculateCost>[1]>['deployment']>();
  });

  it('returns Cost, or Cost | undefined with onUnknown: undefined', () => {
    // never called: only the types are under test
    const check = (prediction: Prediction) => {
      expectTypeOf(calculateCost(prediction)).toEqualTypeOf<Cost>();
      expectTypeOf(calculateCost(prediction, { onUnknown: 'undefined' })).toEqualTypeOf<Cost | undefined>();
      // @ts-expect-error status is required
      calculateCost({ model: 'acme/x' });
    };
    expectTypeOf(check).toBeFunction();
  });
});
