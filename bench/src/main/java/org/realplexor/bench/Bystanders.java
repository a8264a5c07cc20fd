package org.realplexor.bench;

/**
 * CPU time that neither the server nor the bench used while a scenario ran: other work on the
 * machine, which competes for the same cores and makes the run's latencies and rates suspect.
 * Approximate (interrupt time is booked both ways; jcmd and kernel threads count as others):
 * trust it to a few CPU-seconds.
 */
final class Bystanders {
    private final ServerUnderTest server;
    private final double machineStart;
    private final double benchStart;
    private final ProcStats.Sample serverStart;
    private double result = Double.NaN;

    Bystanders(ServerUnderTest server) {
        this.server = server;
        this.machineStart = ProcStats.machineBusySeconds();
        this.benchStart = Scenario.benchCpu();
        this.serverStart = server.sample();
    }

    /** Call at the end of the scenario, while the server still runs. */
    void stop() {
        double machine = ProcStats.machineBusySeconds() - machineStart;
        double bench = Scenario.benchCpu() - benchStart;
        result = machine - bench - Scenario.cpu(serverStart, server.sample());
    }

    /** NaN when the server's pid is unknown (its share cannot be told apart). */
    double cpuSeconds() {
        return result;
    }
}
