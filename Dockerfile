# A first sketch (the "run it as users do" issue completes it): the executable jar on a JRE.
# Build the jar first: mvn -q -B package -DskipTests
FROM eclipse-temurin:17-jre
WORKDIR /app
COPY target/jose-payment-streams.jar /app/jose-payment-streams.jar
ENTRYPOINT ["java", "-jar", "/app/jose-payment-streams.jar"]
