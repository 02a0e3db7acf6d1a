/** A member's question as typed into /study submit's form, by field id (choices one per line). */
export const sampleSubmission = {
  prompt: "Which port does our payments API listen on in staging?",
  choices: "8080\n8443\n9000",
  answer: "B",
  explanation: "Staging terminates TLS on the service itself, on 8443.",
  topic: "payments",
};
