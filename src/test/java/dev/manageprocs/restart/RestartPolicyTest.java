package dev.manageprocs.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.manageprocs.child.ExitStatus;
import dev.manageprocs.unit.RestartMode;
import dev.manageprocs.unit.RestartSpec;
import dev.manageprocs.unit.Signal;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    private static final long S = 1_000_000_000L;
    private static final ExitStatus FAILED = ExitStatus.exited(3);
    private static final ExitStatus OK = ExitStatus.exited(0);

    private static RestartPolicy policy(int max, String window) {
        return new RestartPolicy(new RestartSpec(RestartMode.ALWAYS, Duration.ofSeconds(15), max,
                Duration.ofMinutes(Integer.parseInt(window)), true));
    }

    @Test
    void shortRunWaitsForTheRestOfTheHoldoff() {
        var d = policy(0, "10").afterExit(RestartMode.ALWAYS, FAILED, 0, 4 * S);
        assertEquals(new RestartDecision.Restart(Duration.ofSeconds(11)), d);
    }

    @Test
    void runLongerThanHoldoffRestartsAtOnce() {
        var d = policy(0, "10").afterExit(RestartMode.ALWAYS, FAILED, 0, 60 * S);
        assertEquals(new RestartDecision.Restart(Duration.ZERO), d);
    }

    @Test
    void withoutHoldoffAChildThatDiesAtOnceStillWaitsTheMinimumGap() {
        RestartPolicy p = new RestartPolicy(new RestartSpec(RestartMode.ALWAYS, Duration.ZERO, 0,
                Duration.ofMinutes(10), true));
        assertEquals(new RestartDecision.Restart(Duration.ofMillis(70)),
                p.afterExit(RestartMode.ALWAYS, FAILED, 0, 30_000_000L));
        assertEquals(new RestartDecision.Restart(Duration.ZERO), p.afterExit(RestartMode.ALWAYS, FAILED, 0, S));
    }

    @Test
    void modesDecideWhetherToRestart() {
        RestartPolicy p = policy(0, "10");
        assertInstanceOf(RestartDecision.Stay.class, p.afterExit(RestartMode.NEVER, FAILED, 0, S));
        assertInstanceOf(RestartDecision.Stay.class, p.afterExit(RestartMode.ON_FAILURE, OK, 0, S));
        assertInstanceOf(RestartDecision.Restart.class, p.afterExit(RestartMode.ON_FAILURE, FAILED, 0, S));
        assertInstanceOf(RestartDecision.Restart.class,
                p.afterExit(RestartMode.ON_FAILURE, ExitStatus.killed(Signal.KILL, false), 0, S));
        assertInstanceOf(RestartDecision.Restart.class, p.afterExit(RestartMode.ALWAYS, OK, 0, S));
    }

    @Test
    void tooManyRestartsWithinTheWindowGiveUp() {
        RestartPolicy p = policy(3, "10");
        long t = 0;
        for (int i = 0; i < 3; i++) {
            assertInstanceOf(RestartDecision.Restart.class, p.afterExit(RestartMode.ALWAYS, FAILED, t, t + S));
            t += 20 * S;
            p.restarted(t);
        }
        var d = p.afterExit(RestartMode.ALWAYS, FAILED, t, t + S);
        var giveUp = assertInstanceOf(RestartDecision.GiveUp.class, d);
        assertTrue(giveUp.reason().contains("restarted 3 times within 10min"), giveUp.reason());
    }

    @Test
    void restartsOutsideTheWindowNoLongerCount() {
        RestartPolicy p = policy(2, "1");
        p.restarted(0);
        p.restarted(10 * S);
        assertInstanceOf(RestartDecision.GiveUp.class, p.afterExit(RestartMode.ALWAYS, FAILED, 10 * S, 20 * S));
        assertInstanceOf(RestartDecision.Restart.class, p.afterExit(RestartMode.ALWAYS, FAILED, 10 * S, 65 * S));
    }

    @Test
    void aRequestedStartBeginsAFreshCount() {
        RestartPolicy p = policy(1, "10");
        p.restarted(0);
        p.reset();
        assertInstanceOf(RestartDecision.Restart.class, p.afterExit(RestartMode.ALWAYS, FAILED, 0, S));
    }
}
