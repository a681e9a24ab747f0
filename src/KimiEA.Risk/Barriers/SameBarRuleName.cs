// RiskConfig.SameBarRule still names the same-bar rule until it is removed with the dead EA input ambiguity_rule;
// the rule itself is KimiEA.Core.Trading.SameBarRule (see BarrierStep). Delete this file with that property.
global using SameBarRule = KimiEA.Core.Trading.SameBarRule;
