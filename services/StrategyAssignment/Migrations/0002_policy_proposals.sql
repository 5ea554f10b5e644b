-- A refinement proposal becomes at most one policy version, even when it is delivered twice at once.
CREATE UNIQUE INDEX ux_policy_proposal_source ON policy (source) WHERE source LIKE 'performance:%';
