using RabbitMQ.Client;

namespace LoanRecovery.Simulator.Transport;

public sealed record RabbitSettings(string Host, int Port, string VirtualHost, string User, string Password)
{
    public ConnectionFactory Factory() => new()
    {
        HostName = Host, Port = Port, VirtualHost = VirtualHost, UserName = User, Password = Password,
        ClientProvidedName = "loanrecovery-simulator",
    };
}
