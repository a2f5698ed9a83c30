/** primary_region must be a Fly.io region: the same list and words as init, scale and deploy (flyio/regions.ts). */
import { isKnownRegion, unknownRegion, type RegionList } from '../flyio/regions.js';
import { finding, type Finding } from '../shared/findings.js';
import type { RuleContext } from './fly-gpu-rules.js';

export function regionRule({ model, file, at }: RuleContext, regions: RegionList): Finding[] {
  const code = model.primaryRegion;
  if (!code || isKnownRegion(code, regions)) return [];
  const { message, hint } = unknownRegion(code, regions);
  return [finding('region-unknown', file, at(['primary_region']), message, `Set primary_region to a known code. ${hint}`)];
}
