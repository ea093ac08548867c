package io.jps.keys;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;

/**
 * The Amazon Corretto Crypto Provider, seen through a provider that also answers to the names Nimbus asks
 * for. ACCP 2.5.0 implements OAEP with SHA-256 under {@code RSA/ECB/OAEPPadding} (parameters given at init)
 * but registers neither {@code RSA/ECB/OAEPWithSHA-256AndMGF1Padding} nor {@code AlgorithmParameters OAEP},
 * both of which Nimbus's RSA-OAEP-256 requests by name from the one provider it is given. Every ACCP
 * service is offered unchanged; the two missing names are delegated (the cipher to ACCP, the parameters
 * to the JDK's SunJCE, which only encodes them).
 */
final class AccpWithOaepAliases extends Provider {

    private static final long serialVersionUID = 1L;

    AccpWithOaepAliases(Provider accp) throws NoSuchAlgorithmException {
        super("JPS-ACCP", "1.0", "ACCP " + accp.getVersionStr() + " with the OAEP names Nimbus uses");
        for (Service service : accp.getServices()) {
            putService(new Delegate(this, service.getType(), service.getAlgorithm(), service));
        }
        Service oaep = require(accp, "Cipher", "RSA/ECB/OAEPPadding");
        for (String bits : new String[] {"256", "384", "512"}) {
            putService(new Delegate(this, "Cipher", "RSA/ECB/OAEPWithSHA-" + bits + "AndMGF1Padding", oaep));
        }
        Provider sunJce = Security.getProvider("SunJCE");
        if (sunJce == null) {
            throw new NoSuchAlgorithmException("SunJCE is not installed: no AlgorithmParameters OAEP");
        }
        putService(new Delegate(this, "AlgorithmParameters", "OAEP", require(sunJce, "AlgorithmParameters", "OAEP")));
    }

    private static Service require(Provider provider, String type, String algorithm) throws NoSuchAlgorithmException {
        Service service = provider.getService(type, algorithm);
        if (service == null) {
            throw new NoSuchAlgorithmException(provider.getName() + " offers no " + type + " " + algorithm);
        }
        return service;
    }

    private static final class Delegate extends Service {
        private final Service target;

        Delegate(Provider owner, String type, String algorithm, Service target) {
            super(owner, type, algorithm, target.getClassName(), null, null);
            this.target = target;
        }

        @Override
        public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
            return target.newInstance(constructorParameter);
        }

        @Override
        public boolean supportsParameter(Object parameter) {
            return target.supportsParameter(parameter);
        }
    }
}
