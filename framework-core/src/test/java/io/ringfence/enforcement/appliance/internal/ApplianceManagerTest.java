package io.ringfence.enforcement.appliance.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ringfence.enforcement.appliance.ApplianceException;
import io.ringfence.enforcement.appliance.ApplianceException.Reason;
import io.ringfence.enforcement.appliance.ApplianceRegistration;
import io.ringfence.enforcement.appliance.ApplianceStatus;
import io.ringfence.spi.enforcement.Acknowledgement;
import io.ringfence.spi.enforcement.Acknowledgement.TargetError;
import io.ringfence.spi.enforcement.EnforcementTarget;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.RuleSetUpdate;
import io.ringfence.spi.enforcement.TargetDescriptor.TargetKind;
import io.ringfence.spi.enforcement.TargetRuleSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry and the pull protocol over a recording publisher and a clock the test moves: what
 * an appliance pulls, how its acknowledgement answers the feed, leases, sessions and refusals.
 * Only the test of a waiting poll uses real time, bounded by a short wait.
 */
class ApplianceManagerTest {

    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T12:00:00Z"));
    private final List<EnforcementTarget> published = new ArrayList<>();
    private final List<EnforcementTarget> withdrawn = new ArrayList<>();
    private ApplianceManager manager;

    @BeforeEach
    void setUp() {
        manager = new ApplianceManager(Set.of("h1", "h2")::contains, new TargetPublisher() {
            @Override
            public void publish(EnforcementTarget target) {
                published.add(target);
            }

            @Override
            public void withdraw(EnforcementTarget target) {
                withdrawn.add(target);
            }
        }, clock, LEASE, MAX_WAIT);
    }

    @Test
    void aRegistrationIsPublishedAsAVirtualApplianceTarget() {
        ApplianceStatus status = manager.register(registration("ips-1", true), "vendor");

        assertThat(published).hasSize(1);
        assertThat(published.get(0).descriptor().id()).isEqualTo("appliance:ips-1");
        assertThat(published.get(0).descriptor().kind()).isEqualTo(TargetKind.VIRTUAL_APPLIANCE);
        assertThat(published.get(0).descriptor().hosts()).containsExactly("h1");
        assertThat(published.get(0).descriptor().deltas()).isTrue();
        assertThat(status.reachable()).isTrue();
        assertThat(status.registeredBy()).isEqualTo("vendor");
        assertThat(manager.appliances()).extracting(ApplianceStatus::id).containsExactly("ips-1");
    }

    @Test
    void theAppliancePullsItsUpdateAndItsAcknowledgementAnswersTheFeed() throws Exception {
        manager.register(registration("ips-1", true), "vendor");
        CompletionStage<Acknowledgement> answer = target().apply(update(1, true, "n1", 7));

        Optional<RuleSetUpdate> pulled = manager.poll("ips-1", "vendor", null, 0, Duration.ZERO);
        assertThat(pulled).hasValueSatisfying(u -> assertThat(u.sequence()).isEqualTo(1));
        assertThat(answer.toCompletableFuture()).isNotDone();
        // pulled again (the response got lost): the same update
        assertThat(manager.poll("ips-1", "vendor", null, 0, Duration.ZERO)).isEqualTo(pulled);
        // asked after it: nothing yet
        assertThat(manager.poll("ips-1", "vendor", null, 1, Duration.ZERO)).isEmpty();

        manager.acknowledge("ips-1", "vendor", null, Acknowledgement.applied(1, Map.of("n1", 7L)));

        assertThat(answer.toCompletableFuture().getNow(null)).isEqualTo(Acknowledgement.applied(1, Map.of("n1", 7L)));
        ApplianceStatus status = manager.appliance("ips-1").orElseThrow();
        assertThat(status.acknowledged()).isEqualTo(1);
        assertThat(status.pending()).isFalse();
        assertThat(status.realized()).containsExactly(Map.entry("n1", 7L));
    }

    @Test
    void aProcessOfASessionThatEndedIsRefusedAndCannotTakeTheNewSessionsUpdates() throws Exception {
        ApplianceStatus first = manager.register(registration("ips-1", true), "vendor");
        CompletableFuture<Optional<RuleSetUpdate>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return manager.poll("ips-1", "vendor", first.session(), 0, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ApplianceStatus second = manager.register(registration("ips-1", true), "vendor"); // another process
        // the first process's poll, waiting already or not yet, is told its session ended (not that the
        // appliance is unknown, which would have it register again and take the appliance back)
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(ApplianceException.class)
                .cause().extracting("reason").isEqualTo(Reason.SESSION_ENDED);
        assertThat(first.session()).isNotBlank();
        assertThat(second.session()).isNotEqualTo(first.session());
        assertThat(manager.appliance("ips-1").orElseThrow().session()).isEqualTo(second.session());
        CompletionStage<Acknowledgement> answer = target().apply(update(1, true, "n1", 7));

        // the process of the first session: neither served the update nor believed
        assertThatThrownBy(() -> manager.poll("ips-1", "vendor", first.session(), 0, Duration.ZERO))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.SESSION_ENDED);
        assertThatThrownBy(() -> manager.acknowledge("ips-1", "vendor", first.session(),
                Acknowledgement.applied(1, Map.of("n1", 7L))))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.SESSION_ENDED);
        assertThat(answer.toCompletableFuture()).isNotDone();
        assertThat(manager.appliance("ips-1").orElseThrow().acknowledged()).isZero();

        // the current session's process is
        assertThat(manager.poll("ips-1", "vendor", second.session(), 0, Duration.ZERO))
                .hasValueSatisfying(u -> assertThat(u.sequence()).isEqualTo(1));
        manager.acknowledge("ips-1", "vendor", second.session(), Acknowledgement.applied(1, Map.of("n1", 7L)));
        assertThat(answer.toCompletableFuture().getNow(null)).isEqualTo(Acknowledgement.applied(1, Map.of("n1", 7L)));
    }

    @Test
    void realizedGenerationsFollowDeltasAndFullStates() {
        manager.register(registration("ips-1", true), "vendor");
        target().apply(update(1, true, "n1", 1));
        manager.acknowledge("ips-1", "vendor", null, Acknowledgement.applied(1, Map.of("n1", 1L)));
        target().apply(update(2, false, "n2", 4));
        manager.acknowledge("ips-1", "vendor", null, Acknowledgement.applied(2, Map.of("n2", 4L)));
        assertThat(manager.appliance("ips-1").orElseThrow().realized()).containsOnly(Map.entry("n1", 1L), Map.entry("n2", 4L));

        target().apply(update(3, true, "n2", 5));
        manager.acknowledge("ips-1", "vendor", null, Acknowledgement.applied(3, Map.of("n2", 5L)));

        assertThat(manager.appliance("ips-1").orElseThrow().realized()).containsOnly(Map.entry("n2", 5L));
    }

    @Test
    void aReportedErrorFailsTheUpdateAndIsShown() {
        manager.register(registration("ips-1", true), "vendor");
        CompletionStage<Acknowledgement> answer = target().apply(update(1, true, "n1", 1));
        TargetError error = new TargetError("unsupported-rule", "no ICMPv6 here", false);

        manager.acknowledge("ips-1", "vendor", null, Acknowledgement.failed(1, error));

        assertThat(answer.toCompletableFuture().getNow(null).error()).isEqualTo(error);
        ApplianceStatus status = manager.appliance("ips-1").orElseThrow();
        assertThat(status.error()).isEqualTo(error);
        assertThat(status.failedAt()).isEqualTo(clock.instant());
        assertThat(status.acknowledged()).isZero();
    }

    @Test
    void anAcknowledgementOfAnythingButThePendingUpdateIsRefused() {
        manager.register(registration("ips-1", true), "vendor");
        assertThatThrownBy(() -> manager.acknowledge("ips-1", "vendor", null, Acknowledgement.applied(1, Map.of())))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.UNKNOWN_SEQUENCE);

        CompletionStage<Acknowledgement> answer = target().apply(update(1, true, "n1", 1));
        assertThatThrownBy(() -> manager.acknowledge("ips-1", "vendor", null, Acknowledgement.applied(2, Map.of())))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.UNKNOWN_SEQUENCE);
        assertThatThrownBy(() -> manager.acknowledge("ips-1", "vendor", null, Acknowledgement.applied(1, Map.of("n9", 1L))))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.INVALID_ACKNOWLEDGEMENT);
        assertThat(answer.toCompletableFuture()).isNotDone();
    }

    @Test
    void aPollAfterASequenceNeverSentIsRefused() {
        manager.register(registration("ips-1", true), "vendor");

        assertThatThrownBy(() -> manager.poll("ips-1", "vendor", null, 5, Duration.ZERO))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.UNKNOWN_SEQUENCE);
    }

    @Test
    void aWaitingPollGetsTheUpdateThatArrives() throws Exception {
        manager.register(registration("ips-1", true), "vendor");
        CompletableFuture<Optional<RuleSetUpdate>> poll = CompletableFuture.supplyAsync(() -> {
            try {
                return manager.poll("ips-1", "vendor", null, 0, Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // the poll may or may not be waiting yet: either way it must return the update
        target().apply(update(1, true, "n1", 1));

        assertThat(poll.get(10, TimeUnit.SECONDS)).hasValueSatisfying(u -> assertThat(u.sequence()).isEqualTo(1));
    }

    @Test
    void aSilentApplianceBecomesUnreachableAndItsPendingUpdateFailsRetryably() {
        manager.register(registration("ips-1", true), "vendor");
        CompletionStage<Acknowledgement> answer = target().apply(update(1, true, "n1", 1));

        clock.advance(LEASE);
        manager.expireLeases();
        assertThat(manager.appliance("ips-1").orElseThrow().reachable()).as("exactly the lease is still fine").isTrue();

        clock.advance(Duration.ofSeconds(1));
        manager.expireLeases();

        Acknowledgement failed = answer.toCompletableFuture().getNow(null);
        assertThat(failed.ok()).isFalse();
        assertThat(failed.error().code()).isEqualTo("unreachable");
        assertThat(failed.error().retryable()).isTrue();
        ApplianceStatus status = manager.appliance("ips-1").orElseThrow();
        assertThat(status.reachable()).isFalse();
        assertThat(status.error().code()).isEqualTo("unreachable");
        // later updates fail at once, and the appliance is told to register again
        assertThat(target().apply(update(2, true, "n1", 2)).toCompletableFuture().getNow(null).error().code())
                .isEqualTo("unreachable");
        assertThatThrownBy(() -> manager.poll("ips-1", "vendor", null, 0, Duration.ZERO))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.LEASE_EXPIRED);
    }

    @Test
    void pollingKeepsTheLease() throws Exception {
        manager.register(registration("ips-1", true), "vendor");
        clock.advance(Duration.ofSeconds(50));
        manager.poll("ips-1", "vendor", null, 0, Duration.ZERO);
        clock.advance(Duration.ofSeconds(50));

        manager.expireLeases();

        assertThat(manager.appliance("ips-1").orElseThrow().reachable()).isTrue();
    }

    @Test
    void registeringAgainStartsANewSessionAndRetiresTheOldOne() throws Exception {
        manager.register(registration("ips-1", true), "vendor");
        EnforcementTarget first = target();
        CompletionStage<Acknowledgement> answer = first.apply(update(3, false, "n1", 2));

        manager.register(registration("ips-1", true), "vendor");

        assertThat(withdrawn).containsExactly(first);
        assertThat(published).hasSize(2);
        assertThat(answer.toCompletableFuture().getNow(null).error().code()).isEqualTo("deregistered");
        // the new session starts from nothing: its first update is whatever the feed sends first
        assertThat(manager.poll("ips-1", "vendor", null, 0, Duration.ZERO)).isEmpty();
        assertThat(manager.appliance("ips-1").orElseThrow().sequence()).isZero();
    }

    @Test
    void anUnreachableApplianceRegistersAgainAndIsReachable() {
        manager.register(registration("ips-1", true), "vendor");
        clock.advance(LEASE.plusSeconds(1));
        manager.expireLeases();

        manager.register(registration("ips-1", true), "vendor");

        assertThat(manager.appliance("ips-1").orElseThrow().reachable()).isTrue();
    }

    @Test
    void deregisteringWithdrawsTheTarget() {
        manager.register(registration("ips-1", true), "vendor");

        assertThat(manager.deregister("ips-1")).isTrue();

        assertThat(withdrawn).containsExactlyElementsOf(published);
        assertThat(manager.appliances()).isEmpty();
        assertThat(manager.deregister("ips-1")).isFalse();
        assertThatThrownBy(() -> manager.poll("ips-1", "vendor", null, 0, Duration.ZERO))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.UNKNOWN_APPLIANCE);
    }

    @Test
    void unknownHostsAreRefusedAndNothingIsPublished() {
        assertThatThrownBy(() -> manager.register(new ApplianceRegistration("ips-1", "", List.of("h1", "h7"), true), "vendor"))
                .isInstanceOf(ApplianceException.class).hasMessageContaining("[h7]")
                .extracting("reason").isEqualTo(Reason.UNKNOWN_HOST);
        assertThat(published).isEmpty();
    }

    @Test
    void onlyTheUserThatRegisteredMayUseTheSession() {
        manager.register(registration("ips-1", true), "vendor");

        assertThatThrownBy(() -> manager.poll("ips-1", "other", null, 0, Duration.ZERO))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.NOT_OWNER);
        assertThatThrownBy(() -> manager.register(registration("ips-1", true), "other"))
                .isInstanceOf(ApplianceException.class).extracting("reason").isEqualTo(Reason.NOT_OWNER);
        assertThat(published).hasSize(1);
    }

    @Test
    void malformedRegistrationsAreRefused() {
        assertThatThrownBy(() -> new ApplianceRegistration("bad/id", "", List.of("h1"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed appliance id");
        assertThatThrownBy(() -> new ApplianceRegistration("ips-1", "", List.of(), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no host");
    }

    @Test
    void theLongestPollMustBeShorterThanTheLease() {
        assertThatThrownBy(() -> new ApplianceManager(h -> true, null, clock, LEASE, LEASE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private EnforcementTarget target() {
        return published.get(published.size() - 1);
    }

    private static ApplianceRegistration registration(String id, boolean deltas) {
        return new ApplianceRegistration(id, "test appliance", List.of("h1"), deltas);
    }

    private static RuleSetUpdate update(long sequence, boolean full, String vnic, long generation) {
        TargetRuleSet set = new TargetRuleSet(vnic, "vm-" + vnic, "h1", null, List.of(), generation, List.of(),
                List.of(), RuleAction.DROP, false);
        return new RuleSetUpdate(sequence, full, List.of(set), List.of(), List.of(), List.of());
    }

    /** A clock that moves only when told. */
    static final class TestClock extends Clock {
        private Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
