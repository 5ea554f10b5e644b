using System.Text;
using LoanRecovery.Contracts;
using LoanRecovery.Simulator.Transport;

namespace LoanRecovery.Simulator.Tests;

public sealed class StrategyAssigned_envelopes
{
    [Fact]
    public void Are_read_from_the_MassTransit_envelopes_message_with_decimals_as_strings()
    {
        const string envelope = """
            {"messageId":"a","messageType":["urn:message:LoanRecovery.Contracts:StrategyAssigned"],
             "message":{"assignmentId":"9e41c2a4-0000-0000-0000-000000000001","loanId":"SIM_LN_4","borrowerId":"SIM_BRW_4",
               "strategy":"Settlement","actions":[],"priority":"20000.00","reasons":[],"policyVersion":"policy-1","arm":"Champion",
               "ruleBased":true,"scoreId":"9e41c2a4-0000-0000-0000-000000000002","probability":0.6,"modelVersion":"risk-1",
               "assignedAt":"2026-03-01T10:00:00+00:00"}}
            """;
        var parsed = StrategyAssignedListener.Parse(Encoding.UTF8.GetBytes(envelope));
        Assert.NotNull(parsed);
        Assert.Equal("SIM_LN_4", parsed.Value.LoanId);
        Assert.Equal(RecoveryStrategy.Settlement, parsed.Value.Strategy);

        var numeric = StrategyAssignedListener.Parse(Encoding.UTF8.GetBytes(envelope.Replace("\"Settlement\"", "2")));
        Assert.Equal(RecoveryStrategy.LegalAction, numeric!.Value.Strategy);
    }

    [Fact]
    public void A_body_that_is_not_an_envelope_is_ignored()
    {
        Assert.Null(StrategyAssignedListener.Parse(Encoding.UTF8.GetBytes("{\"loanId\":\"x\"}")));
        Assert.Null(StrategyAssignedListener.Parse(Encoding.UTF8.GetBytes("not json")));
    }
}
