using System.Text.Json;
using LoanRecovery.Contracts;
using LoanRecovery.RiskScoring.Domain;
using LoanRecovery.RiskScoring.Persistence;
using LoanRecovery.RiskScoring.Scoring;
using LoanRecovery.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace LoanRecovery.RiskScoring.Consumers;

/// <summary>Keeps the loan's feature inputs, and the features it entered with (what historical outcomes are trained on).</summary>
public sealed class LoanOpenedConsumer(UnitOfWork<RiskDbContext> unitOfWork, TimeProvider clock) : IConsumer<LoanOpened>
{
    public Task Consume(ConsumeContext<LoanOpened> context) =>
        unitOfWork.RunOnceAsync(context.MessageId, nameof(LoanOpenedConsumer), async ct =>
        {
            var m = context.Message;
            if (await unitOfWork.Db.Loans.AnyAsync(l => l.LoanId == m.LoanId, ct))
                return;
            var loan = new LoanSnapshot
            {
                LoanId = m.LoanId, BorrowerId = m.BorrowerId, Age = m.Age, EmploymentType = m.EmploymentType,
                MonthlyIncome = m.MonthlyIncome, NumDependents = m.NumDependents, LoanAmount = m.LoanAmount,
                LoanTenureMonths = m.LoanTenureMonths, InterestRate = m.InterestRate, LoanType = m.LoanType,
                CollateralValue = m.CollateralValue, OutstandingBalance = m.OutstandingLoanAmount, MonthlyEmi = m.MonthlyEmi,
                PaymentHistory = m.PaymentHistory, MissedPayments = m.MissedPayments, DaysPastDue = m.DaysPastDue,
                OpenedAt = m.OccurredAt, UpdatedAt = clock.GetUtcNow(),
            };
            loan.InitialFeatures = JsonSerializer.Serialize(loan.Facts().ToFeatures());
            unitOfWork.Db.Loans.Add(loan);
        }, context.CancellationToken);
}
