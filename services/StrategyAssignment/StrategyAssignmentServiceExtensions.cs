using LoanRecovery.ServiceDefaults;
using LoanRecovery.ServiceDefaults.Messaging;
using LoanRecovery.StrategyAssignment.Assignment;
using LoanRecovery.StrategyAssignment.Consumers;
using LoanRecovery.StrategyAssignment.Domain;
using LoanRecovery.StrategyAssignment.Persistence;
using Microsoft.Extensions.Options;

namespace LoanRecovery.StrategyAssignment;

public static class StrategyAssignmentServiceExtensions
{
    public static WebApplicationBuilder AddStrategyAssignment(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<StrategyAssignmentOptions>().BindConfiguration(StrategyAssignmentOptions.Section).ValidateDataAnnotationsSerially().ValidateOnStart();
        builder.AddServiceDatabase<StrategyDbContext>();
        builder.Services.AddSingleton(sp => new ComplianceGuard(sp.GetRequiredService<IOptions<StrategyAssignmentOptions>>().Value.ComplianceRules()));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StrategyAssignmentOptions>>().Value;
            return new ArmSelector(options.ExplorationShare, options.ExploringWithChallengerShare, options.RandomSeed is { } seed ? new Random(seed) : new Random());
        });
        builder.Services.AddScoped<PolicyStore>();
        builder.Services.AddScoped<StrategyAssigner>();
        builder.Services.AddScoped<WorkQueue>();
        // After the migrations (registered by AddServiceDatabase) and before the bus: consumers always find a champion.
        builder.Services.AddHostedService<PolicySeeder>();
        builder.Services.AddSingleton<PromiseMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PromiseMonitor>());
        builder.AddServiceBus(bus =>
        {
            bus.AddConsumer<RiskScoredConsumer>();
            bus.AddConsumer<PaymentRecordedConsumer>();
            bus.AddConsumer<PolicyProposedConsumer>();
        });
        return builder;
    }
}
