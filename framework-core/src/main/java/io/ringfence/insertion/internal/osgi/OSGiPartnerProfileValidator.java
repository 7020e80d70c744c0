package io.ringfence.insertion.internal.osgi;

import io.ringfence.insertion.ServiceDefinitionRegistry;
import io.ringfence.insertion.internal.PartnerProfileValidator;
import io.ringfence.manager.ServiceProfileValidator;
import io.ringfence.manager.Violation;
import io.ringfence.model.ServiceProfile;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The check of service profiles against the partners' registered definitions, as an OSGi service
 * for the admin API (and whatever else writes profiles on an admin's behalf).
 */
@Component(service = ServiceProfileValidator.class)
public final class OSGiPartnerProfileValidator implements ServiceProfileValidator {

    private final PartnerProfileValidator validator;

    @Activate
    public OSGiPartnerProfileValidator(@Reference ServiceDefinitionRegistry definitions) {
        this.validator = new PartnerProfileValidator(definitions);
    }

    @Override
    public List<Violation> validate(ServiceProfile profile) {
        return validator.validate(profile);
    }
}
