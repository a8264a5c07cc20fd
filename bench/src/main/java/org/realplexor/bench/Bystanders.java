package org.realplexor.bench;

/**
 * CPU time that neither the servers (nodes and Redis) nor the bench used while a scenario ran: other work on the
 * machine, which competes for the same cores and makes the run's latencies and rates suspect.
 * Approximate (interrupt time is booked both ways; jcmd and kernel threads count as others):
 * trust it to a few CPU-seconds.
 */
final class Bystanders {
    private final Servers servers;
    private final double machineStart;
    private final double benchStart;
    private final ProcStats.Sample serverStart;
    private double result = Double.NaN;

    Bystanders(Servers servers) {
        this.servers = servers;
        this.machineStart = ProcStats.machineBusySeconds();
        this.benchStart = Scenario.benchCpu();
        this.serverStart = servers.sampleAll();
    }

    /** Call at the end of the scenario, while the servers still run. */
    void stop() {
        double machine = ProcStats.machineBusySeconds() - machineStart;
        double bench = Scenario.benchCpu() - benchStart;
        result = machine - bench - Scenario.cpu(serverStart, servers.sampleAll());
    }

    /** NaN when the server's pid is unknown (its share cannot be told apart). */
    double cpuSeconds() {
        return result;
    }
}
