package dev.tern.examples.officehours;

import dev.tern.spi.PolicySource;
import dev.tern.spi.PolicySourceProvider;
import dev.tern.spi.ProviderContext;

/**
 * The {@code office-hours} policy source type: relaying is forced outside office hours. Registered in
 * {@code META-INF/services/dev.tern.spi.PolicySourceProvider}, so putting this jar on the classpath is all
 * it takes to use {@code type: office-hours} in {@code policy.sources}.
 *
 * <p>Stateless and thread-safe. Time comes from the host's clock ({@link ProviderContext#clock()}).
 */
public final class OfficeHoursProvider implements PolicySourceProvider<OfficeHoursConfig> {

    @Override
    public String type() {
        return "office-hours";
    }

    @Override
    public Class<OfficeHoursConfig> configType() {
        return OfficeHoursConfig.class;
    }

    @Override
    public PolicySource create(OfficeHoursConfig config, ProviderContext context) {
        return new OfficeHoursPolicySource(config, context.clock());
    }
}
