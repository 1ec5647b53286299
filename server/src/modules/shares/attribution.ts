/**
 * The relationship chain's rule: a card writes the inviter → invitee edge only for a viewer who is
 * new to the campaign — no edge yet and no card of their own. Because every inviter has a card and
 * no invitee does when the edge is written, the chain can never loop back on itself.
 */
export interface AttributionFacts {
  viewerId: string;
  sharerId: string;
  viewerHasInviter: boolean;
  viewerHasShared: boolean;
}

export function shouldAttribute(f: AttributionFacts): boolean {
  return f.viewerId !== f.sharerId && !f.viewerHasInviter && !f.viewerHasShared;
}
