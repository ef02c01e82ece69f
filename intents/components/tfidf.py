"""Sentence features as TF-IDF (sublinear term frequency, inverse document frequency, unit length).

Why not Rasa's CountVectorsFeaturizer: raw counts make a long message (a story first, the
question at the end) weigh several times more than a short one, and every "ik", "de", "и",
"si" of the story counts as much as the one word that names the topic. TF-IDF damps repeated
words, down-weights words found in many intents, and gives every message the same length, so
the classifier reads the topic words of long messages. Chosen by 5-fold cross-validation on
the training data (not on the held-out split): see the README, "How well it works".

Only sentence features are produced (the logistic-regression classifier reads nothing else).
Tokens are the lemmas of the FoldingTokenizer, so spelling variants still meet.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text, Type

import joblib
from sklearn.feature_extraction.text import TfidfVectorizer

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.sparse_featurizer.sparse_featurizer import SparseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)
FILE = "tfidf.joblib"


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=True
)
class TfidfFeaturizer(SparseFeaturizer, GraphComponent):
    """`analyzer: word` (whole folded tokens) or `char_wb` (n-grams inside word boundaries)."""

    @classmethod
    def required_components(cls) -> List[Type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **SparseFeaturizer.get_default_config(),
            "analyzer": "word",
            "min_ngram": 1,
            "max_ngram": 1,
            "max_features": None,
            "sublinear_tf": True,
            # Unit-length vectors are small; the classifier's regularisation (C=1, not
            # configurable in Rasa) then flattens its probabilities below the fallback
            # threshold. Scaling the vectors is the same as a weaker regularisation.
            "scale": 1.0,
        }

    @staticmethod
    def required_packages() -> List[Text]:
        return ["sklearn"]

    @classmethod
    def validate_config(cls, config: Dict[Text, Any]) -> None:
        if config["analyzer"] not in ("word", "char", "char_wb"):
            raise ValueError(f"analyzer must be word, char or char_wb, not {config['analyzer']}")

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        vectorizer: Optional[TfidfVectorizer] = None,
    ) -> None:
        super().__init__(execution_context.node_name, config)
        self._model_storage = model_storage
        self._resource = resource
        self.vectorizer = vectorizer

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "TfidfFeaturizer":
        return cls(config, model_storage, resource, execution_context)

    def _new_vectorizer(self) -> TfidfVectorizer:
        word = self._config["analyzer"] == "word"
        return TfidfVectorizer(
            analyzer=self._config["analyzer"],
            ngram_range=(self._config["min_ngram"], self._config["max_ngram"]),
            max_features=self._config["max_features"],
            sublinear_tf=self._config["sublinear_tf"],
            token_pattern=r"\S+" if word else None,
            lowercase=True,
        )

    @staticmethod
    def _text(message: Message) -> Text:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        return " ".join(t.lemma or t.text for t in tokens)

    def train(self, training_data: TrainingData) -> Resource:
        texts = [self._text(m) for m in training_data.training_examples if m.get(TEXT)]
        self.vectorizer = self._new_vectorizer().fit(texts)
        with self._model_storage.write_to(self._resource) as model_dir:
            joblib.dump(self.vectorizer, model_dir / FILE)
        return self._resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        if self.vectorizer is None:
            logger.error("TfidfFeaturizer is not trained")
            return messages
        with_text = [m for m in messages if m.get(TEXT)]
        if not with_text:
            return messages
        # One transform for all messages: per message it was a third of the training time.
        matrix = self.vectorizer.transform([self._text(m) for m in with_text]).tocsr()
        matrix *= self._config["scale"]
        for row, message in enumerate(with_text):
            self.add_features_to_message(None, matrix[row].tocoo(), TEXT, message)
        return messages

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "TfidfFeaturizer":
        try:
            with model_storage.read_from(resource) as model_dir:
                vectorizer = joblib.load(model_dir / FILE)
        except (ValueError, FileNotFoundError) as e:
            logger.warning(f"TfidfFeaturizer could not be loaded: {e}")
            vectorizer = None
        return cls(config, model_storage, resource, execution_context, vectorizer)
