package io.ringfence.enforcement.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringfence.compiler.AddressGroup;
import io.ringfence.compiler.CompiledRule;
import io.ringfence.model.Action;
import io.ringfence.model.Category;
import io.ringfence.model.Direction;
import io.ringfence.model.PortRange;
import io.ringfence.model.Protocol;
import io.ringfence.model.ServiceEntry;
import io.ringfence.net.AddressSet;
import io.ringfence.net.IpPrefix;
import io.ringfence.spi.enforcement.RuleAction;
import io.ringfence.spi.enforcement.TargetRule;
import io.ringfence.spi.enforcement.TargetService;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleSetConverterTest {

    @Test
    void everyProtocolMapsToItsIanaNumberAndAnyToMinusOne() {
        assertThat(List.of(Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMPV6, Protocol.ANY))
                .extracting(p -> RuleSetConverter.service(new ServiceEntry(p, List.of(), List.of(), null, null))
                        .protocol())
                .containsExactly(6, 17, 1, 58, -1);
    }

    @Test
    void aStagedNegatedEntryKeepsBothMarksAndItsSourcePorts() {
        ServiceEntry dns = new ServiceEntry(Protocol.UDP, List.of(PortRange.of(53)), List.of(PortRange.parse("1024-65535")),
                null, null);
        CompiledRule entry = new CompiledRule("r", "p", Category.EMERGENCY, 1, 2, Direction.IN, Action.DROP, true, true,
                "tag", "g1+g2", true, List.of(dns));

        TargetRule rule = RuleSetConverter.rule(entry);

        assertThat(rule).extracting(TargetRule::ruleId, TargetRule::policyId, TargetRule::action, TargetRule::logged,
                TargetRule::staged, TargetRule::remoteGroup, TargetRule::remoteNegated)
                .containsExactly("r", "p", RuleAction.DROP, true, true, "g1+g2", true);
        TargetService service = rule.services().get(0);
        assertThat(service.destinationPorts()).containsExactly(new int[] {53, 53});
        assertThat(service.sourcePorts()).containsExactly(new int[] {1024, 65535});
    }

    @Test
    void anAddressGroupIsItsMinimalPrefixesIpv4FirstWithTheLengthAlwaysWritten() {
        AddressSet set = AddressSet.of(IpPrefix.parse("2001:db8::1"), IpPrefix.parse("10.0.0.1"),
                IpPrefix.parse("10.0.0.0"), IpPrefix.parse("10.1.0.0/16"));

        assertThat(RuleSetConverter.addressGroup(new AddressGroup("g", List.of("g"), set, 3)).prefixes())
                .containsExactly("10.0.0.0/31", "10.1.0.0/16", "2001:db8::1/128");
    }
}
